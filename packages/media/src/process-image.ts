import { AssetError, makeImageVariants } from '@e3d/assets';
import { contentHashedKey } from '@e3d/storage';
import type { MediaPipeline } from './pipeline.ts';
import type { Processed, Put } from './stored-files.ts';

/** An image upload: renditions in several widths and formats, stored beside its original. */
export async function processImage(pipeline: MediaPipeline, bytes: Uint8Array, put: Put): Promise<Processed> {
  const started = performance.now();
  const { original, variants } = await makeImageVariants(bytes, { limits: pipeline.limits });
  const renditions = [];
  for (const variant of variants) {
    const key = contentHashedKey('img', variant.hash, variant.format === 'jpeg' ? 'jpg' : variant.format);
    await put(key, variant.bytes, variant.mimeType);
    renditions.push({
      width: variant.width,
      height: variant.height,
      format: variant.format,
      mimeType: variant.mimeType,
      key,
      byteSize: variant.bytes.byteLength,
    });
  }
  // The default URL is the widest WebP: every current browser shows it; srcset offers the rest.
  const main =
    [...variants].filter((v) => v.format === 'webp').sort((a, b) => b.width - a.width)[0] ?? variants[0];
  if (!main) throw new AssetError('unsupported_image', { reason: 'no rendition could be made' } as never);
  const ext = original.format === 'jpeg' ? 'jpg' : original.format;
  const originalKey = contentHashedKey('img', original.hash, ext, '-original');
  await put(originalKey, bytes, original.mimeType);
  return {
    storageKey: contentHashedKey('img', main.hash, main.format === 'jpeg' ? 'jpg' : main.format),
    contentHash: main.hash,
    mimeType: main.mimeType,
    byteSize: main.bytes.byteLength,
    width: main.width,
    height: main.height,
    modelStats: null,
    originalKey,
    originalByteSize: bytes.byteLength,
    processing: {
      ms: Math.round(performance.now() - started),
      bytesBefore: bytes.byteLength,
      bytesAfter: main.bytes.byteLength,
      renditions,
    },
  };
}
