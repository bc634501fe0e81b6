import { buffer } from 'node:stream/consumers';
import { AssetError } from '@e3d/assets';
import { type MediaProcessing, type ProductMediaRow, rows, sql } from '@e3d/db';
import type { MediaPipeline } from './pipeline.ts';
import { processImage } from './process-image.ts';
import { processModel } from './process-model.ts';
import { type Processed, processedKeys, removeUnreferenced, renditionKeys } from './stored-files.ts';

type ClaimedMedia = Pick<
  ProductMediaRow,
  'id' | 'kind' | 'status' | 'upload_key' | 'upload_filename' | 'storage_key' | 'original_key' | 'processing'
>;

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
  const [claimed] = await rows<ClaimedMedia>(
    db,
    sql`UPDATE product_media SET status = 'processing'
     WHERE id = ${mediaId} AND status IN ('uploaded', 'processing') AND upload_key IS NOT NULL
     RETURNING id, kind, status, upload_key, upload_filename, storage_key, original_key, processing`,
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
      const [row] = await rows<Pick<ProductMediaRow, 'product_id'>>(
        conn,
        sql`UPDATE product_media SET status = 'ready', storage_key = ${processed.storageKey},
           content_hash = ${processed.contentHash}, mime_type = ${processed.mimeType},
           byte_size = ${processed.byteSize}, width = ${processed.width}, height = ${processed.height},
           model_stats = ${processed.modelStats ? JSON.stringify(processed.modelStats) : null},
           original_key = ${processed.originalKey}, original_byte_size = ${processed.originalByteSize},
           processing = ${JSON.stringify(processed.processing)}, upload_key = NULL, failure_code = NULL,
           failure_message = NULL, processed_at = now()
         WHERE id = ${mediaId} AND status = 'processing' AND upload_key = ${uploadKey}
         RETURNING product_id`,
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
  const replaced = previousKeys.filter((k) => !processedKeys(processed).includes(k));
  await removeUnreferenced(pipeline, replaced);
  pipeline.log?.({ msg: 'media ready', mediaId, kind: claimed.kind, bytes: processed.byteSize });
  return 'ready';
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
    const [row] = await rows<{ product_id: string; served: boolean }>(
      conn,
      sql`UPDATE product_media SET status = 'failed', failure_code = ${code},
         failure_message = ${message.slice(0, 2_000)},
         processing = coalesce(${processing ? JSON.stringify(processing) : null}, processing),
         processed_at = now()
       WHERE id = ${mediaId} AND status IN ('uploaded', 'processing')
       RETURNING product_id, storage_key IS NOT NULL AS served`,
    );
    // A failed replacement takes the file it replaced off the product's pages too (only ready
    // media is shown); a new upload that failed was never on them.
    if (row?.served) await pipeline.revalidation?.enqueueProduct(conn, row.product_id);
  });
}
