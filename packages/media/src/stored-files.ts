import { type MediaProcessing, type ModelStats, rows, sql } from '@e3d/db';
import type { MediaPipeline } from './pipeline.ts';

/** What processing one upload stored, and what the media row records about it. */
export interface Processed {
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

/** Stores one output of a processing run (once: outputs are keyed by content). */
export type Put = (key: string, body: Uint8Array, contentType: string) => Promise<void>;

export function renditionKeys(processing: MediaProcessing | null): string[] {
  return processing?.renditions?.map((r) => r.key) ?? [];
}

/** Every stored object a processed media uses. */
export function processedKeys(p: Processed): string[] {
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
  const used = await rows<{ key: string }>(
    pipeline.db,
    sql`SELECT k AS key FROM unnest(${sql.param(keys)}::text[]) AS k WHERE EXISTS (
       SELECT 1 FROM product_media m WHERE m.storage_key = k OR m.original_key = k
         OR m.processing->'renditions' @> jsonb_build_array(jsonb_build_object('key', k)))`,
  );
  const keep = new Set(used.map((u) => u.key));
  const gone = keys.filter((k) => !keep.has(k));
  await Promise.all(gone.map((key) => pipeline.store.delete(key)));
  pipeline.cdn?.invalidate(gone.map((key) => `/${key}`));
}
