import type { Transform } from '@gltf-transform/core';
import { dedup, prune, resample, unpartition, weld } from '@gltf-transform/functions';
import {
  type AssetCacheOption,
  assetCacheDir,
  assetCacheKey,
  readCachedEntry,
  writeCachedEntry,
} from '../cache.ts';
import { AssetError, errorMessage } from '../errors.ts';
import { sha256Hex } from '../hash.ts';
import { inspectDocument, inspectModel, type ModelInspection } from '../inspect.ts';
import { modelWriterIO, readDocument } from '../io.ts';
import { type AssetLimits, resolveLimits } from '../limits.ts';
import { type ModelUpload, type ReadModelUploadOptions, toUpload } from '../upload/read-upload.ts';
import { type ValidationReport, validateModel } from '../validate.ts';
import { compressGeometry } from './compress-geometry.ts';
import { compressTextures } from './compress-textures.ts';
import { OPTIMIZE_PRESETS, type OptimizePresetName, type OptimizeStep } from './presets.ts';

export interface OptimizeModelOptions extends ReadModelUploadOptions, AssetCacheOption {
  /** Named pipeline (default `web`); see OPTIMIZE_PRESETS. */
  preset?: OptimizePresetName;
  /** A custom pipeline instead of a preset's steps (the result's `preset` is then `custom`). */
  steps?: readonly OptimizeStep[];
}

export interface OptimizeResult {
  /** The optimized model, always a single self-contained GLB. */
  glb: Uint8Array;
  /** SHA-256 of `glb`, lowercase hex: the caller's storage key. */
  hash: string;
  preset: OptimizePresetName | 'custom';
  bytesBefore: number;
  bytesAfter: number;
  /** bytesAfter / bytesBefore. */
  ratio: number;
  /**
   * Wall time of read + transform + write, in milliseconds (output checks not included); for a
   * cached result, that of the run that made it.
   */
  ms: number;
  before: ModelInspection;
  after: ModelInspection;
  /** gltf-validator on the output: never has errors (that would be `optimize_failed`). */
  validation: ValidationReport;
}

function toTransform(step: OptimizeStep, maxTexturePixels: number): Transform {
  switch (step.step) {
    case 'dedup':
      return dedup(step.options);
    case 'prune':
      return prune(step.options);
    case 'weld':
      return weld(step.options);
    case 'resample':
      return resample(step.options);
    case 'compressGeometry':
      return compressGeometry(step.options);
    case 'compressTextures':
      return compressTextures({ maxTexturePixels, ...step.options });
  }
}

/**
 * Optimizes a model for delivery with a preset pipeline and returns one GLB with its hash,
 * the inspection before and after, and the output's validation report. The output is checked
 * with gltf-validator: a result with errors is never returned (`optimize_failed`).
 * Validate the upload first (validateModel) to refuse bad input with the uploader's error codes.
 * With a cache folder (see AssetCacheOption) a model already optimized the same way is read
 * back instead of optimized again.
 */
export async function optimizeModel(
  input: Uint8Array | ModelUpload,
  options: OptimizeModelOptions = {},
): Promise<OptimizeResult> {
  const preset = options.steps ? 'custom' : (options.preset ?? 'web');
  const steps = options.steps ?? OPTIMIZE_PRESETS[options.preset ?? 'web'];
  const limits = resolveLimits(options.limits);
  const upload = await toUpload(input, options);

  const cacheDir = assetCacheDir(options);
  const key =
    cacheDir &&
    assetCacheKey(
      'optimized-model',
      {
        main: upload.main,
        ...Object.fromEntries(
          Object.entries(upload.resources).map(([uri, bytes]) => [`resource:${uri}`, bytes]),
        ),
      },
      { preset, steps, limits, container: upload.container, format: upload.format, path: upload.path },
    );
  if (cacheDir && key) {
    const hit = await readCachedEntry<Omit<OptimizeResult, 'glb'>>(cacheDir, key);
    const glb = hit?.blobs[0];
    if (hit && glb) return { ...hit.meta, glb };
  }
  const result = await runOptimization(upload, preset, steps, limits);
  if (cacheDir && key) {
    const { glb, ...meta } = result;
    await writeCachedEntry(cacheDir, key, { meta, blobs: [glb] });
  }
  return result;
}

async function runOptimization(
  upload: ModelUpload,
  preset: OptimizeResult['preset'],
  steps: readonly OptimizeStep[],
  limits: AssetLimits,
): Promise<OptimizeResult> {
  const started = performance.now();
  const document = await readDocument(upload);
  const before = inspectDocument(document);
  let glb: Uint8Array;
  try {
    const io = await modelWriterIO();
    await document.transform(
      ...steps.map((step) => toTransform(step, limits.maxTexturePixels)),
      unpartition(), // a GLB holds one buffer
    );
    glb = await io.writeBinary(document);
  } catch (error) {
    if (error instanceof AssetError) throw error;
    throw new AssetError('optimize_failed', { reason: errorMessage(error) }, { cause: error });
  }
  const ms = Math.round(performance.now() - started);

  const validation = await validateModel(glb, {
    throwOnError: false,
    limits: { ...limits, maxModelBytes: Number.POSITIVE_INFINITY },
  });
  if (!validation.valid) {
    throw new AssetError('optimize_failed', {
      reason: `the optimized model has ${validation.errors} validation errors`,
      messages: validation.messages.filter((m) => m.severity === 'error'),
    });
  }
  return {
    glb,
    hash: sha256Hex(glb),
    preset,
    bytesBefore: upload.byteLength,
    bytesAfter: glb.byteLength,
    ratio: glb.byteLength / upload.byteLength,
    ms,
    before,
    after: await inspectModel(glb, { limits: { maxModelBytes: Number.POSITIVE_INFINITY } }),
    validation,
  };
}
