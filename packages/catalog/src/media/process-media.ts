import { buffer } from 'node:stream/consumers';
import {
  AssetError,
  type AssetLimits,
  makeImageVariants,
  type OptimizePresetName,
  optimizeModel,
  readModelUpload,
  sha256Hex,
  validateModel,
} from '@e3d/assets';
import type { Database, MediaProcessing, ModelStats } from '@e3d/db';
import { type CdnInvalidator, contentHashedKey, type ObjectStore } from '@e3d/storage';
import type { StorefrontRevalidation } from '../storefront/revalidate.ts';

export interface MediaPipeline {
  db: Database;
  store: ObjectStore;
  cdn?: CdnInvalidator;
  /** Queues the storefront's revalidation with every settled media of a published product. */
  revalidation?: StorefrontRevalidation;
  limits: AssetLimits;
  preset: OptimizePresetName;
  log?: (event: Record<string, unknown>) => void;
}

interface MediaRow {
  id: string;
  kind: 'image' | 'model';
  status: 'uploaded' | 'processing' | 'ready' | 'failed';
  upload_key: string | null;
  upload_filename: string | null;
  storage_key: string | null;
  original_key: string | null;
  processing: MediaProcessing | null;
}

interface Processed {
  storageKey: string;
  contentHash: string;
  mimeType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  modelStats: ModelStats | null;
  originalKey: string;
  originalByteSize: number;
  processing: MediaProcessing;
}

export type ProcessOutcome = 'ready' | 'failed' | 'skipped';

/** Failure code stored on media whose processing kept failing for reasons not its own. */
export const PROCESSING_ERROR = 'processing_error';

/**
 * Turns an uploaded file into served assets: validate, optimize or make renditions, store
 * content-hashed outputs, then flip the media row to `ready` in one statement. Bad input
 * marks the media `failed` with the asset error's code and message. Idempotent: media that is
 * no longer waiting for processing is left alone, and outputs are keyed by content.
 *
 * Nothing half-written stays: outputs written for a run that does not end `ready` are deleted
 * unless another media row uses them, and the staged upload is removed once consumed.
 */
export async function processMedia(pipeline: MediaPipeline, mediaId: string): Promise<ProcessOutcome> {
  const { db, store } = pipeline;
  const [claimed] = await db.query<MediaRow>(
    `UPDATE product_media SET status = 'processing'
     WHERE id = $1 AND status IN ('uploaded', 'processing') AND upload_key IS NOT NULL
     RETURNING id, kind, status, upload_key, upload_filename, storage_key, original_key, processing`,
    [mediaId],
  );
  if (!claimed?.upload_key) return 'skipped';
  const uploadKey = claimed.upload_key;

  const staged = await store.get(uploadKey);
  if (!staged) {
    await markFailed(
      pipeline,
      mediaId,
      'upload_missing',
      'The uploaded file is not in storage (expired or never sent).',
    );
    return 'failed';
  }
  const bytes = new Uint8Array(await buffer(staged.body));
  const written: string[] = [];
  const put = async (key: string, body: Uint8Array, contentType: string) => {
    if (!(await store.head(key))) {
      await store.put(key, body, { contentType });
      written.push(key);
    }
  };

  let processed: Processed;
  try {
    processed =
      claimed.kind === 'model'
        ? await processModel(pipeline, bytes, claimed.upload_filename ?? 'model.glb', put)
        : await processImage(pipeline, bytes, put);
  } catch (error) {
    await removeUnreferenced(pipeline, written);
    if (!AssetError.is(error)) throw error;
    await markFailed(pipeline, mediaId, error.code, error.message, validatorOf(error));
    await store.delete(uploadKey);
    pipeline.log?.({ msg: 'media failed', mediaId, code: error.code });
    return 'failed';
  }

  const previousKeys = [
    claimed.storage_key,
    claimed.original_key,
    ...renditionKeys(claimed.processing),
  ].filter((k): k is string => typeof k === 'string');
  try {
    // The storefront is told in the same transaction: its pages change if and only if this commits.
    const done = await db.transaction(async (conn) => {
      const [row] = await conn.query<{ product_id: string }>(
        `UPDATE product_media SET status = 'ready', storage_key = $2, content_hash = $3, mime_type = $4,
           byte_size = $5, width = $6, height = $7, model_stats = $8, original_key = $9,
           original_byte_size = $10, processing = $11, upload_key = NULL, failure_code = NULL,
           failure_message = NULL, processed_at = now()
         WHERE id = $1 AND status = 'processing' AND upload_key = $12
         RETURNING product_id`,
        [
          mediaId,
          processed.storageKey,
          processed.contentHash,
          processed.mimeType,
          processed.byteSize,
          processed.width,
          processed.height,
          processed.modelStats ? JSON.stringify(processed.modelStats) : null,
          processed.originalKey,
          processed.originalByteSize,
          JSON.stringify(processed.processing),
          uploadKey,
        ],
      );
      if (row) await pipeline.revalidation?.enqueueProduct(conn, row.product_id);
      return row;
    });
    // Deleted or replaced meanwhile: this run's outputs belong to nobody.
    if (!done) {
      await removeUnreferenced(pipeline, written);
      return 'skipped';
    }
  } catch (error) {
    await removeUnreferenced(pipeline, written);
    throw error;
  }
  await store.delete(uploadKey);
  // A replacement leaves the previous files behind: remove them unless still in use.
  const replaced = previousKeys.filter((k) => !allKeys(processed).includes(k));
  await removeUnreferenced(pipeline, replaced);
  pipeline.log?.({ msg: 'media ready', mediaId, kind: claimed.kind, bytes: processed.byteSize });
  return 'ready';
}

type Put = (key: string, body: Uint8Array, contentType: string) => Promise<void>;

async function processModel(
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

async function processImage(pipeline: MediaPipeline, bytes: Uint8Array, put: Put): Promise<Processed> {
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

function toModelStats(inspection: {
  triangles: number;
  vertices: number;
  meshes: number;
  materials: number;
  textures: number;
  animations: number;
  sizeMetres: [number, number, number];
  materialVariants: string[];
}): ModelStats {
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

function validatorOf(error: AssetError): MediaProcessing | null {
  const details = error.details as {
    messages?: { code: string; message: string; pointer?: string; severity: string }[];
  };
  if (!Array.isArray(details.messages)) return null;
  return {
    validator: {
      errors: details.messages.filter((m) => m.severity === 'error').length,
      warnings: details.messages.filter((m) => m.severity === 'warning').length,
      messages: details.messages.slice(0, 50),
    },
  };
}

export async function markFailed(
  pipeline: Pick<MediaPipeline, 'db' | 'revalidation'>,
  mediaId: string,
  code: string,
  message: string,
  processing: MediaProcessing | null = null,
): Promise<void> {
  await pipeline.db.transaction(async (conn) => {
    const [row] = await conn.query<{ product_id: string; served: boolean }>(
      `UPDATE product_media SET status = 'failed', failure_code = $2, failure_message = $3,
         processing = coalesce($4, processing), processed_at = now()
       WHERE id = $1 AND status IN ('uploaded', 'processing')
       RETURNING product_id, storage_key IS NOT NULL AS served`,
      [mediaId, code, message.slice(0, 2_000), processing ? JSON.stringify(processing) : null],
    );
    // A failed replacement takes the file it replaced off the product's pages too (only ready
    // media is shown); a new upload that failed was never on them.
    if (row?.served) await pipeline.revalidation?.enqueueProduct(conn, row.product_id);
  });
}

function renditionKeys(processing: MediaProcessing | null): string[] {
  return processing?.renditions?.map((r) => r.key) ?? [];
}

function allKeys(p: Processed): string[] {
  return [p.storageKey, p.originalKey, ...renditionKeys(p.processing)];
}

/**
 * Deletes stored objects no media row refers to (content-hashed keys can be shared by two
 * media with the same bytes), and tells the CDN about the paths that change meaning.
 */
export async function removeUnreferenced(
  pipeline: Pick<MediaPipeline, 'db' | 'store' | 'cdn'>,
  keys: string[],
): Promise<void> {
  if (keys.length === 0) return;
  const used = await pipeline.db.query<{ key: string }>(
    `SELECT k AS key FROM unnest($1::text[]) AS k WHERE EXISTS (
       SELECT 1 FROM product_media m WHERE m.storage_key = k OR m.original_key = k
         OR m.processing->'renditions' @> jsonb_build_array(jsonb_build_object('key', k)))`,
    [keys],
  );
  const keep = new Set(used.map((u) => u.key));
  const gone = keys.filter((k) => !keep.has(k));
  await Promise.all(gone.map((key) => pipeline.store.delete(key)));
  pipeline.cdn?.invalidate(gone.map((key) => `/${key}`));
}
