import sharp, { type Metadata, type Sharp } from 'sharp';
import {
  type AssetCacheOption,
  assetCacheDir,
  assetCacheKey,
  readCachedEntry,
  writeCachedEntry,
} from './cache.ts';
import { AssetError, errorMessage } from './errors.ts';
import { sha256Hex } from './hash.ts';
import { type AssetLimits, resolveLimits } from './limits.ts';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif';

const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Input formats accepted (sharp's prebuilt libvips reads them; SVG/PDF/HEIC are refused). */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff']);

export interface ImageVariantsOptions extends AssetCacheOption {
  /** Target widths in pixels; widths above the source's are dropped (never upscaled). */
  widths?: readonly number[];
  /**
   * Formats to produce at each width. `original` is the source's own format (JPEG stays
   * JPEG, PNG stays PNG, WebP/AVIF stay as they are; GIF/TIFF become PNG, or JPEG when opaque).
   */
  formats?: readonly (ImageFormat | 'original')[];
  /** Encoder quality per lossy format. */
  quality?: Partial<Record<'jpeg' | 'webp' | 'avif', number>>;
  limits?: Partial<AssetLimits>;
}

export const IMAGE_VARIANTS_DEFAULTS = Object.freeze({
  widths: [320, 640, 960, 1280, 1920] as readonly number[],
  formats: ['webp', 'avif', 'original'] as readonly (ImageFormat | 'original')[],
  quality: Object.freeze({ jpeg: 82, webp: 80, avif: 55 }),
});

export interface ImageVariant {
  width: number;
  height: number;
  format: ImageFormat;
  mimeType: string;
  bytes: Uint8Array;
  /** SHA-256 of `bytes`, lowercase hex. */
  hash: string;
}

export interface SourceImage {
  /** Format sharp detected from the bytes (not from a name or a declared type). */
  format: string;
  mimeType: string;
  /** Pixel size as displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** EXIF orientation tag (1–8) when present. */
  orientation?: number;
  hasAlpha: boolean;
  /** Frames in an animated GIF/WebP; variants use the first. */
  pages: number;
  bytes: number;
  hash: string;
}

export interface ImageVariantsResult {
  original: SourceImage;
  /** Ordered by width, then by the order of `formats`. */
  variants: ImageVariant[];
}

const unsupported = (reason: string, format?: string, cause?: unknown) =>
  new AssetError('unsupported_image', { reason, ...(format && { format }) }, cause ? { cause } : undefined);

/** Widths to produce: the requested ones up to the source width, plus the source width when it is below the largest. */
export function variantWidths(requested: readonly number[], sourceWidth: number): number[] {
  const wanted = [...new Set(requested.filter((w) => Number.isInteger(w) && w > 0))].sort((a, b) => a - b);
  const fit = wanted.filter((w) => w <= sourceWidth);
  const largest = wanted.at(-1);
  if (largest !== undefined && largest > sourceWidth && !fit.includes(sourceWidth)) fit.push(sourceWidth);
  return fit;
}

function encode(
  pipeline: Sharp,
  format: ImageFormat,
  quality: Record<'jpeg' | 'webp' | 'avif', number>,
): Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: quality.jpeg, mozjpeg: true });
    case 'png':
      return pipeline.png({ compressionLevel: 9, adaptiveFiltering: true });
    case 'webp':
      return pipeline.webp({ quality: quality.webp, effort: 4 });
    case 'avif':
      return pipeline.avif({ quality: quality.avif, effort: 2 });
  }
}

/**
 * Makes responsive variants of an uploaded image with sharp: each width × format, never
 * upscaled, EXIF orientation applied, metadata (EXIF, GPS, XMP) stripped, sRGB output.
 * Refuses decompression bombs before decoding (`image_too_many_pixels`, from the header's
 * size; sharp's `limitInputPixels` guards the decoder too), and anything sharp cannot read
 * or that is not a raster photo/graphic format (`unsupported_image`). With a cache folder (see
 * AssetCacheOption) renditions already made from the same bytes and options are read back.
 */
export async function makeImageVariants(
  bytes: Uint8Array,
  options: ImageVariantsOptions = {},
): Promise<ImageVariantsResult> {
  const cacheDir = assetCacheDir(options);
  const { cacheDir: _, ...decisive } = options;
  const key =
    cacheDir &&
    assetCacheKey('image-variants', { bytes }, { ...decisive, limits: resolveLimits(options.limits) });
  if (!cacheDir || !key) return renderImageVariants(bytes, options);
  type Meta = { original: SourceImage; variants: Omit<ImageVariant, 'bytes'>[] };
  const hit = await readCachedEntry<Meta>(cacheDir, key);
  if (hit && hit.blobs.length === hit.meta.variants.length) {
    return {
      original: hit.meta.original,
      variants: hit.meta.variants.map((v, i) => ({ ...v, bytes: hit.blobs[i] as Uint8Array })),
    };
  }
  const result = await renderImageVariants(bytes, options);
  const meta: Meta = { original: result.original, variants: result.variants.map(({ bytes: _b, ...v }) => v) };
  await writeCachedEntry(cacheDir, key, { meta, blobs: result.variants.map((v) => v.bytes) });
  return result;
}

async function renderImageVariants(
  bytes: Uint8Array,
  options: ImageVariantsOptions,
): Promise<ImageVariantsResult> {
  const limits = resolveLimits(options.limits);
  if (bytes.byteLength > limits.maxImageBytes) {
    throw new AssetError('too_large_bytes', {
      subject: 'image',
      bytes: bytes.byteLength,
      limit: limits.maxImageBytes,
    });
  }
  const input = { limitInputPixels: limits.maxImagePixels, failOn: 'error' } as const;
  let meta: Metadata;
  try {
    // Reads the header only, so no pixel limit here: the check below reports the real size.
    meta = await sharp(bytes, { ...input, limitInputPixels: false }).metadata();
  } catch (error) {
    throw unsupported(`not a readable image (${errorMessage(error)})`, undefined, error);
  }
  // sharp names every HEIF-family file `heif`; AVIF is the AV1 one (HEVC/HEIC is not decodable here).
  const detected: string = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : meta.format;
  if (!ACCEPTED.has(detected)) throw unsupported(`${detected} images are not accepted`, detected);
  const pixels = meta.width * meta.height;
  if (pixels > limits.maxImagePixels) {
    throw new AssetError('image_too_many_pixels', {
      width: meta.width,
      height: meta.height,
      pixels,
      limit: limits.maxImagePixels,
    });
  }
  const { width, height } = meta.autoOrient;
  const sourceFormat = detected as ImageFormat | 'gif' | 'tiff';
  const originalAs: ImageFormat =
    sourceFormat === 'gif' || sourceFormat === 'tiff' ? (meta.hasAlpha ? 'png' : 'jpeg') : sourceFormat;
  const formats = [
    ...new Set(
      (options.formats ?? IMAGE_VARIANTS_DEFAULTS.formats).map((f) => (f === 'original' ? originalAs : f)),
    ),
  ];
  const quality = { ...IMAGE_VARIANTS_DEFAULTS.quality, ...options.quality };

  const variants: ImageVariant[] = [];
  try {
    for (const w of variantWidths(options.widths ?? IMAGE_VARIANTS_DEFAULTS.widths, width)) {
      const encoded = await Promise.all(
        formats.map(async (format) => {
          const pipeline = sharp(bytes, { ...input, autoOrient: true }).resize({
            width: w,
            withoutEnlargement: true,
          });
          const { data, info } = await encode(pipeline, format, quality).toBuffer({
            resolveWithObject: true,
          });
          const out = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
          return {
            width: info.width,
            height: info.height,
            format,
            mimeType: MIME[format],
            bytes: out,
            hash: sha256Hex(out),
          };
        }),
      );
      variants.push(...encoded);
    }
  } catch (error) {
    if (/pixel limit/i.test(errorMessage(error))) {
      throw new AssetError('image_too_many_pixels', { limit: limits.maxImagePixels }, { cause: error });
    }
    throw unsupported(`the image cannot be decoded (${errorMessage(error)})`, detected, error);
  }
  return {
    original: {
      format: detected,
      mimeType:
        sourceFormat === 'gif' || sourceFormat === 'tiff' ? `image/${sourceFormat}` : MIME[originalAs],
      width,
      height,
      ...(meta.orientation !== undefined && { orientation: meta.orientation }),
      hasAlpha: meta.hasAlpha,
      pages: meta.pages ?? 1,
      bytes: bytes.byteLength,
      hash: sha256Hex(bytes),
    },
    variants,
  };
}
