import { optimizeModel, readModelUpload, sha256Hex, validateModel } from '@e3d/assets';
import type { ModelStats } from '@e3d/db';
import { contentHashedKey } from '@e3d/storage';
import type { MediaPipeline } from './pipeline.ts';
import type { Processed, Put } from './stored-files.ts';

/** A model upload (GLB, .gltf or ZIP): validated, optimized, stored beside its original. */
export async function processModel(
  pipeline: MediaPipeline,
  bytes: Uint8Array,
  filename: string,
  put: Put,
): Promise<Processed> {
  const upload = await readModelUpload(bytes, { filename, limits: pipeline.limits });
  const report = await validateModel(upload, { limits: pipeline.limits });
  const result = await optimizeModel(upload, { preset: pipeline.preset, limits: pipeline.limits });
  // Never serve more bytes than were uploaded: an already-compressed GLB can come out larger.
  const keepOriginal = upload.container === 'glb' && result.glb.byteLength >= bytes.byteLength;
  const served = keepOriginal ? { glb: bytes, hash: sha256Hex(bytes) } : result;
  const originalHash = sha256Hex(bytes);
  const originalKey = contentHashedKey(
    'models',
    originalHash,
    upload.container === 'zip' ? 'zip' : upload.container,
    '-original',
  );
  const storageKey = contentHashedKey('models', served.hash, 'glb');
  await put(
    originalKey,
    bytes,
    upload.container === 'zip'
      ? 'application/zip'
      : upload.container === 'glb'
        ? 'model/gltf-binary'
        : 'model/gltf+json',
  );
  await put(storageKey, served.glb, 'model/gltf-binary');
  return {
    storageKey,
    contentHash: served.hash,
    mimeType: 'model/gltf-binary',
    byteSize: served.glb.byteLength,
    width: null,
    height: null,
    modelStats: toModelStats(keepOriginal ? result.before : result.after),
    originalKey,
    originalByteSize: bytes.byteLength,
    processing: {
      preset: keepOriginal ? `${result.preset} (kept the original: already smaller)` : result.preset,
      ms: Math.round(result.ms),
      bytesBefore: result.bytesBefore,
      bytesAfter: served.glb.byteLength,
      statsBefore: toModelStats(result.before),
      validator: {
        errors: report.errors,
        warnings: report.warnings,
        messages: report.messages.slice(0, 50).map((m) => ({
          code: m.code,
          message: m.message,
          severity: m.severity,
          ...(m.pointer ? { pointer: m.pointer } : {}),
        })),
      },
    },
  };
}

/** Only the stats, not the rest of the inspection. */
function toModelStats(inspection: ModelStats): ModelStats {
  return {
    triangles: inspection.triangles,
    vertices: inspection.vertices,
    meshes: inspection.meshes,
    materials: inspection.materials,
    textures: inspection.textures,
    animations: inspection.animations,
    sizeMetres: inspection.sizeMetres,
    materialVariants: inspection.materialVariants,
  };
}
