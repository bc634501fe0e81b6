import { type Queryable, rows, sql } from '@e3d/db';
import { enqueue, type Job, PermanentJobError } from '@e3d/jobs';
import { loadOrCreateLocalSecret } from '@e3d/storage';

/**
 * After a catalog change the storefront is told which cache tags to expire (its revalidate
 * route, as in Next.js Commerce). The call goes through the durable job queue, enqueued in
 * the same transaction as the change: a storefront that is down gets it when it is back.
 */
export const REVALIDATE_QUEUE = 'storefront.revalidate';

export interface RevalidatePayload {
  /** e.g. `product:<handle>`, `products`, `categories`, `collection:<handle>`. */
  tags: string[];
}

/**
 * The product pages, and everything that lists products: the storefront tags every catalog read
 * that carries product data `products` (listings, collections, categories, search, home), so
 * a product's thumbnail, 3D badge or arrival is fresh on all of them at once.
 */
export const productTags = (...handles: string[]) => [
  ...new Set(handles.map((h) => `product:${h}`)),
  'products',
];

/**
 * Queues the storefront revalidation for a catalog change, on the writer's connection and so in
 * its transaction: the call is queued if and only if the change commits, and a storefront that
 * is down gets it on a retry. Every writer uses this one — the API's admin writes, the worker's
 * media pipeline, the import. Nothing is queued when no storefront URL is set.
 */
export class StorefrontRevalidation {
  constructor(private readonly url: string | undefined) {}

  static fromConfig(config?: { STOREFRONT_REVALIDATE_URL?: string | undefined }): StorefrontRevalidation {
    return new StorefrontRevalidation(config?.STOREFRONT_REVALIDATE_URL);
  }

  get enabled(): boolean {
    return this.url !== undefined;
  }

  async enqueue(conn: Queryable, tags: string[]): Promise<void> {
    if (!this.url || tags.length === 0) return;
    const payload: RevalidatePayload = { tags: [...new Set(tags)] };
    await enqueue(conn, REVALIDATE_QUEUE, payload);
  }

  /**
   * A change to one product's data (its media, say): its page and every listing, when the
   * storefront shows it. A draft's pages do not exist there; its publishing revalidates them.
   */
  async enqueueProduct(conn: Queryable, productId: string): Promise<void> {
    if (!this.url) return;
    const [product] = await rows<{ handle: string; status: string }>(
      conn,
      sql`SELECT handle, status FROM products WHERE id = ${productId}`,
    );
    if (product?.status === 'published') await this.enqueue(conn, productTags(product.handle));
  }
}

/** REVALIDATE_SECRET when set; otherwise one generated once under DATA_DIR (the storefront reads it too). */
export async function loadRevalidateSecret(config: {
  REVALIDATE_SECRET?: string | undefined;
  dataDir: string;
}): Promise<string> {
  if (config.REVALIDATE_SECRET) return config.REVALIDATE_SECRET;
  return (await loadOrCreateLocalSecret(config.dataDir, 'revalidate')).toString('base64url');
}

export interface RevalidateOptions {
  /** STOREFRONT_REVALIDATE_URL; unset = nothing to tell, jobs complete at once. */
  url: string | undefined;
  secret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Answers that no retry will change (bad secret, wrong route): dead-letter at once. */
const PERMANENT = new Set([400, 401, 403, 404, 405, 410, 413, 422]);

export function revalidateJobHandler(options: RevalidateOptions) {
  const send = options.fetch ?? fetch;
  return async (job: Job): Promise<void> => {
    if (!options.url) return;
    const { tags } = job.payload as RevalidatePayload;
    const response = await send(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.secret}` },
      body: JSON.stringify({ tags }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (response.ok) return;
    const message = `storefront revalidation answered ${response.status}`;
    if (PERMANENT.has(response.status)) throw new PermanentJobError(message);
    throw new Error(message);
  };
}
