/**
 * Compares two renders of the same model from the same camera.
 *
 * SSIM: ssim.js, luminance only (its integer BT.601 rgb2gray: (299 R + 587 G + 114 B) / 1000),
 * Wang et al.'s original algorithm (11×11 Gaussian window, σ = 1.5, K1 = 0.01, K2 = 0.03), at
 * full resolution (no downsampling), over the model's bounding rectangle only: the union of
 * both renders' non-background pixels plus a small margin. The flat background around the model
 * would otherwise match perfectly and pull the score towards 1.
 *
 * Guard: a render that is (nearly) one colour, or in which the model covers almost no pixels,
 * is rejected with an error: two blank canvases have an SSIM of 1.0 and must never pass.
 */
import { PNG } from 'pngjs';
import { ssim } from 'ssim.js';

/** A pixel is the model's when a channel differs from the background by more than this. */
const FOREGROUND_DELTA = 12;
/** Below this luminance standard deviation (0–255) a render counts as blank. */
const MIN_LUMA_STDDEV = 4;
/** Below this share of model pixels a render counts as blank (the model is framed to fill it). */
const MIN_COVERAGE = 0.02;
const CROP_MARGIN = 8;

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface RenderStats {
  /** Standard deviation of luminance over the whole image, 0–255. */
  lumaStdDev: number;
  /** Share of pixels that are the model's (differ from the background colour). */
  coverage: number;
  /** The model's bounding rectangle in pixels, [x0, y0, x1, y1) (empty when coverage is 0). */
  rect: [number, number, number, number];
}

export class BlankRenderError extends Error {
  constructor(label: string, stats: RenderStats) {
    super(
      `${label}: the render is (nearly) blank — luminance std-dev ${stats.lumaStdDev.toFixed(2)}, ` +
        `model covers ${(stats.coverage * 100).toFixed(2)}% of the canvas. ` +
        'A blank canvas compares equal to another blank canvas; refusing to score it.',
    );
    this.name = 'BlankRenderError';
  }
}

export function decodePng(png: Uint8Array): RgbaImage {
  const image = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  return { width: image.width, height: image.height, data: image.data };
}

const luma = (data: Uint8Array, i: number) =>
  (299 * (data[i] ?? 0) + 587 * (data[i + 1] ?? 0) + 114 * (data[i + 2] ?? 0)) / 1000;

/** The background: the most common colour among the four corners (the model is framed inside). */
function backgroundColour(image: RgbaImage): [number, number, number] {
  const { width, height, data } = image;
  const corners = [0, width - 1, (height - 1) * width, height * width - 1].map((p) => {
    const i = p * 4;
    return [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0] as [number, number, number];
  });
  const key = (c: [number, number, number]) => c.join(',');
  const counts = new Map<string, number>();
  for (const c of corners) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  return corners.reduce((best, c) => ((counts.get(key(c)) ?? 0) > (counts.get(key(best)) ?? 0) ? c : best));
}

export function renderStats(image: RgbaImage): RenderStats {
  const { width, height, data } = image;
  const [br, bg, bb] = backgroundColour(image);
  let sum = 0;
  let sumSq = 0;
  let foreground = 0;
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const l = luma(data, i);
      sum += l;
      sumSq += l * l;
      const delta = Math.max(
        Math.abs((data[i] ?? 0) - br),
        Math.abs((data[i + 1] ?? 0) - bg),
        Math.abs((data[i + 2] ?? 0) - bb),
      );
      if (delta > FOREGROUND_DELTA) {
        foreground++;
        if (x < x0) x0 = x;
        if (y < y0) y0 = y;
        if (x + 1 > x1) x1 = x + 1;
        if (y + 1 > y1) y1 = y + 1;
      }
    }
  }
  const n = width * height;
  const mean = sum / n;
  return {
    lumaStdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)),
    coverage: foreground / n,
    rect: foreground ? [x0, y0, x1, y1] : [0, 0, 0, 0],
  };
}

/** Throws BlankRenderError when the render shows (almost) nothing. */
export function assertNotBlank(label: string, stats: RenderStats): void {
  if (stats.lumaStdDev < MIN_LUMA_STDDEV || stats.coverage < MIN_COVERAGE)
    throw new BlankRenderError(label, stats);
}

function crop(image: RgbaImage, [x0, y0, x1, y1]: [number, number, number, number]) {
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const start = ((y0 + y) * image.width + x0) * 4;
    data.set(image.data.subarray(start, start + width * 4), y * width * 4);
  }
  return { width, height, data };
}

export interface Comparison {
  ssim: number;
  /** The rectangle SSIM was computed over. */
  rect: [number, number, number, number];
  reference: RenderStats;
  candidate: RenderStats;
}

/** Luminance SSIM of `candidate` against `reference` over the model's rectangle (see the top). */
export function compareRenders(reference: RgbaImage, candidate: RgbaImage, label: string): Comparison {
  if (reference.width !== candidate.width || reference.height !== candidate.height) {
    throw new Error(`${label}: render sizes differ`);
  }
  const referenceStats = renderStats(reference);
  const candidateStats = renderStats(candidate);
  assertNotBlank(`${label} (reference)`, referenceStats);
  assertNotBlank(label, candidateStats);
  const [a0, a1, a2, a3] = referenceStats.rect;
  const [b0, b1, b2, b3] = candidateStats.rect;
  const rect: [number, number, number, number] = [
    Math.max(0, Math.min(a0, b0) - CROP_MARGIN),
    Math.max(0, Math.min(a1, b1) - CROP_MARGIN),
    Math.min(reference.width, Math.max(a2, b2) + CROP_MARGIN),
    Math.min(reference.height, Math.max(a3, b3) + CROP_MARGIN),
  ];
  const { mssim } = ssim(crop(reference, rect), crop(candidate, rect), {
    ssim: 'original',
    downsample: false,
    rgb2grayVersion: 'integer',
  });
  return { ssim: mssim, rect, reference: referenceStats, candidate: candidateStats };
}
