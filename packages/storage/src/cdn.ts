import { randomUUID } from 'node:crypto';
import {
  CloudFrontClient,
  type CloudFrontClientConfig,
  CreateInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import { isContentHashedKey } from './keys.ts';

export interface CdnInvalidatorOptions {
  /** The CloudFront distribution in front of the bucket; unset means a no-op invalidator. */
  distributionId?: string;
  /** A client to use (left open on close); otherwise one is made from `clientConfig`. */
  client?: CloudFrontClient;
  /** Settings for the client made here (credentials, endpoint…); region defaults to us-east-1. */
  clientConfig?: CloudFrontClientConfig;
  /** Paths collected within this window go out as one invalidation. */
  batchWindowMs?: number;
  /** A batch that reaches this size goes out at once; larger sets are split. */
  maxPathsPerBatch?: number;
  /** A batch CloudFront refused after the SDK's retries. Default: a process warning. */
  onError?: (error: unknown, paths: readonly string[]) => void;
}

export interface CdnInvalidator {
  /** False when no distribution is configured: every call does nothing. */
  readonly enabled: boolean;
  /**
   * Queues paths (`/assets/…` or keys like `assets/…`) for the next batch and returns how many
   * were new. Content-hashed keys are skipped: their bytes never change.
   */
  invalidate(paths: Iterable<string>): number;
  /** Sends everything queued now and waits for every batch in flight. */
  flush(): Promise<void>;
  /** Flushes, then refuses further paths (and closes a client it made). */
  close(): Promise<void>;
}

function toCdnPath(path: string): string {
  const trimmed = path.trim();
  if (!trimmed) throw new RangeError('an invalidation path cannot be empty');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Batches CloudFront CreateInvalidation calls: one per window, deduplicated. */
export function createCdnInvalidator(options: CdnInvalidatorOptions = {}): CdnInvalidator {
  const { distributionId, batchWindowMs = 1000, maxPathsPerBatch = 1000 } = options;
  if (!Number.isInteger(maxPathsPerBatch) || maxPathsPerBatch < 1) {
    throw new RangeError(`maxPathsPerBatch must be a positive integer, got ${maxPathsPerBatch}`);
  }
  if (!distributionId) {
    return { enabled: false, invalidate: () => 0, flush: async () => {}, close: async () => {} };
  }
  const ownsClient = !options.client;
  const client = options.client ?? new CloudFrontClient({ region: 'us-east-1', ...options.clientConfig });
  const onError =
    options.onError ??
    ((error: unknown, paths: readonly string[]) =>
      process.emitWarning(
        `CloudFront invalidation of ${paths.length} path(s) failed: ${(error as Error)?.message ?? error}`,
      ));

  const pending = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function send(paths: string[]) {
    const request = client
      .send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: {
            CallerReference: `e3d-${Date.now()}-${randomUUID()}`,
            Paths: { Quantity: paths.length, Items: paths },
          },
        }),
      )
      .then(
        () => {},
        (error: unknown) => onError(error, paths),
      )
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }

  /** Sends full batches, or everything when `all`. */
  function drain(all: boolean) {
    while (pending.size >= maxPathsPerBatch || (all && pending.size > 0)) {
      const batch: string[] = [];
      for (const path of pending) {
        batch.push(path);
        pending.delete(path);
        if (batch.length === maxPathsPerBatch) break;
      }
      send(batch);
    }
    if (pending.size === 0 && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  }

  async function flush() {
    if (timer) clearTimeout(timer);
    timer = undefined;
    drain(true);
    while (inFlight.size > 0) await Promise.all(inFlight);
  }

  return {
    enabled: true,
    invalidate(paths) {
      if (closed) throw new Error('the CDN invalidator is closed');
      let added = 0;
      for (const raw of paths) {
        const path = toCdnPath(raw);
        if (isContentHashedKey(path.slice(1)) || pending.has(path)) continue;
        pending.add(path);
        added++;
      }
      drain(false);
      if (pending.size > 0 && !timer) {
        timer = setTimeout(() => {
          timer = undefined;
          drain(true);
        }, batchWindowMs);
      }
      return added;
    },
    flush,
    async close() {
      closed = true;
      await flush();
      if (ownsClient) client.destroy();
    },
  };
}
