import { REVALIDATE_QUEUE, type RevalidatePayload } from '@e3d/catalog';
import type { Connection } from '@e3d/db';
import { enqueue, enqueueSql } from '@e3d/jobs';
import type { Executor } from '../../sql.ts';

/**
 * Tells the storefront which cache tags a catalog write expired, through the job queue and
 * in the writer's transaction: the call is queued if and only if the change commits, and a
 * storefront that is down gets it on a retry. Nothing is queued when no storefront URL is set.
 */
export class StorefrontRevalidation {
  constructor(private readonly url: string | undefined) {}

  get enabled(): boolean {
    return this.url !== undefined;
  }

  async enqueue(conn: Executor | Connection, tags: string[]): Promise<void> {
    if (!this.url || tags.length === 0) return;
    const payload: RevalidatePayload = { tags: [...new Set(tags)] };
    if ('execute' in conn) await conn.execute(enqueueSql(REVALIDATE_QUEUE, payload));
    else await enqueue(conn, REVALIDATE_QUEUE, payload);
  }
}
