import type { Config } from '@e3d/config';
import { type Database, type ProductMediaRow, rows, sql } from '@e3d/db';
import { drain } from '@e3d/jobs';
import {
  MEDIA_QUEUE,
  type MediaJobPayload,
  type MediaPipeline,
  mediaJobHandler,
  mediaPipeline,
} from '@e3d/media';
import type { ObjectStore } from '@e3d/storage';
import { StorefrontRevalidation } from '../storefront/revalidate.ts';
import { createImportedProduct, type ImportedMedia } from './create.ts';
import type { ImportPlan } from './plan.ts';
import type { ImportProduct } from './product.ts';

/** Where one media row of the import ended up. */
export interface ImportMediaResult extends ImportedMedia {
  /** `ready`, `failed`, or still `uploaded`/`processing` (a retry is due later, or a worker has it). */
  status: 'uploaded' | 'processing' | 'ready' | 'failed';
  failureCode: string | null;
  failureMessage: string | null;
}

export interface ImportReport {
  created: { product: ImportProduct; productId: string; media: ImportMediaResult[] }[];
  skipped: { product: ImportProduct; reason: string }[];
  /** Products whose write failed (rolled back, staged files removed). */
  failed: { product: ImportProduct; message: string }[];
  categoriesCreated: number;
  media: { total: number; ready: number; failed: number; pending: number };
}

export interface RunImportOptions {
  /**
   * Limits and preset of the media pipeline, and STOREFRONT_REVALIDATE_URL: with it, each product
   * and each settled media queue the storefront's revalidation. The library defaults without it.
   */
  config?: Config;
  /** After each product is written (or skipped, or failed). */
  onProduct?: (
    product: ImportProduct,
    outcome: 'created' | 'skipped' | 'failed',
    done: number,
    total: number,
  ) => void;
  /** Once before media processing starts, then after each of the import's media is settled. */
  onMediaProgress?: (done: number, total: number) => void;
}

/**
 * Writes a plan: each product in its own transaction (see createImportedProduct), then runs
 * the media pipeline here until no job is waiting, and reports where every product and media
 * ended. A plan with problems is refused: nothing is written.
 */
export async function runImport(
  db: Database,
  store: ObjectStore,
  plan: ImportPlan,
  options: RunImportOptions = {},
): Promise<ImportReport> {
  if (plan.problems.length > 0) {
    throw new Error(`the import has ${plan.problems.length} problem(s); nothing was written`);
  }
  const report: ImportReport = {
    created: [],
    skipped: [...plan.skip],
    failed: [],
    categoriesCreated: 0,
    media: { total: 0, ready: 0, failed: 0, pending: 0 },
  };
  const revalidation = StorefrontRevalidation.fromConfig(options.config);
  const pipeline = mediaPipeline({ db, store, revalidation }, options.config);
  const written: { product: ImportProduct; productId: string; media: ImportedMedia[] }[] = [];
  let done = 0;
  for (const product of plan.create) {
    let outcome: 'created' | 'skipped' | 'failed';
    try {
      const result = await createImportedProduct(db, store, product, { revalidation });
      if (result.status === 'created') {
        written.push({ product, productId: result.productId, media: result.media });
        report.categoriesCreated += result.categoriesCreated;
      } else report.skipped.push({ product, reason: result.reason });
      outcome = result.status;
    } catch (error) {
      report.failed.push({ product, message: (error as Error).message });
      outcome = 'failed';
    }
    options.onProduct?.(product, outcome, ++done, plan.create.length);
  }

  const mediaIds = written.flatMap((w) => w.media.map((m) => m.id));
  await processImportMedia(pipeline, mediaIds, options.onMediaProgress);

  const settled = await rows<Pick<ProductMediaRow, 'id' | 'status' | 'failure_code' | 'failure_message'>>(
    db,
    sql`SELECT id, status, failure_code, failure_message FROM product_media
        WHERE id = ANY(${sql.param(mediaIds)}::uuid[])`,
  );
  const byId = new Map(settled.map((r) => [r.id, r]));
  for (const w of written) {
    const media = w.media.map((m): ImportMediaResult => {
      const row = byId.get(m.id);
      return {
        ...m,
        status: row?.status ?? 'uploaded',
        failureCode: row?.failure_code ?? null,
        failureMessage: row?.failure_message ?? null,
      };
    });
    report.created.push({ product: w.product, productId: w.productId, media });
    for (const m of media) {
      report.media.total++;
      if (m.status === 'ready') report.media.ready++;
      else if (m.status === 'failed') report.media.failed++;
      else report.media.pending++;
    }
  }
  return report;
}

/**
 * processPendingMedia with a progress count: drains every waiting media job in this process
 * and calls `onProgress` each time one of `mediaIds` is settled (ready or failed), or its job
 * gave up for now (retried later with backoff).
 */
export async function processImportMedia(
  pipeline: MediaPipeline,
  mediaIds: readonly string[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ succeeded: number; failed: number }> {
  const ours = new Set(mediaIds);
  const settled = new Set<string>();
  const handler = mediaJobHandler(pipeline);
  onProgress?.(0, ours.size);
  return drain(pipeline.db, {
    [MEDIA_QUEUE]: async (job) => {
      const { mediaId } = job.payload as MediaJobPayload;
      try {
        await handler(job);
      } finally {
        if (ours.has(mediaId) && !settled.has(mediaId)) {
          settled.add(mediaId);
          onProgress?.(settled.size, ours.size);
        }
      }
    },
  });
}
