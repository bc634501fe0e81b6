import { LRUCache } from 'lru-cache';
import type { Metrics } from '../plugins/metrics.ts';
import type { CacheBackend } from './backend.ts';

const GENERATION_KEY = 'catalog:generation';

export interface CachedLoad {
  /** Serialized JSON, or null when the loader found nothing (not cached). */
  body: string | null;
  hit: boolean;
}

/**
 * Read-through cache for catalog responses. Every key embeds the catalog generation; a
 * change bumps the generation, so every older entry becomes unreachable at once in every
 * API task that shares the backend. Bump after the write commits: a reader that saw the
 * old generation may then store stale bytes, but only under a key nobody reads again.
 *
 * When the backend fails (Redis down) the request is answered from the database and the
 * failure is counted; nothing waits for Redis to come back.
 *
 * In front of Redis sits a small near cache in this process, so a warm response costs no
 * network round trip. Every task hears every catalog change (Postgres NOTIFY → invalidate),
 * so each near cache is dropped by the same event that bumps the shared generation; entries
 * are tagged with the local epoch they were loaded in, so a load that raced a change is
 * never served after it.
 */
export class CatalogCache {
  private readonly inflight = new Map<string, Promise<string | null>>();
  private readonly near: LRUCache<string, string> | undefined;
  private epoch = 0;

  constructor(
    readonly backend: CacheBackend,
    private readonly options: {
      ttlSeconds: number;
      enabled: boolean;
      metrics: Metrics;
      nearTtlSeconds?: number;
    },
  ) {
    options.metrics.cacheBackendUp.set({ cache: backend.name }, 1);
    if (backend.name === 'redis' && options.ttlSeconds > 0) {
      this.near = new LRUCache({
        max: 2_000,
        maxSize: 32 * 1024 * 1024,
        sizeCalculation: (value) => value.length * 2 || 1,
        ttl: Math.min(options.ttlSeconds, options.nearTtlSeconds ?? 30) * 1000,
      });
    }
  }

  async getOrLoad(key: string, load: () => Promise<string | null>): Promise<CachedLoad> {
    if (!this.options.enabled || this.options.ttlSeconds === 0) {
      return { body: await load(), hit: false };
    }
    if (!this.near) return this.getOrLoadShared(key, load);
    const epoch = this.epoch;
    const nearKey = `${epoch}:${key}`;
    const local = this.near.get(nearKey);
    if (local !== undefined) {
      this.options.metrics.cacheLookups.inc({ cache: 'near', result: 'hit' });
      return { body: local, hit: true };
    }
    this.options.metrics.cacheLookups.inc({ cache: 'near', result: 'miss' });
    const result = await this.getOrLoadShared(key, load);
    if (result.body !== null && epoch === this.epoch) this.near.set(nearKey, result.body);
    return result;
  }

  private async getOrLoadShared(key: string, load: () => Promise<string | null>): Promise<CachedLoad> {
    const generation = await this.attempt('get', () => this.backend.get(GENERATION_KEY));
    if (generation === undefined)
      return { body: await this.singleFlight(`nocache:${key}`, load), hit: false };
    const fullKey = `catalog:${generation ?? '0'}:${key}`;
    const cached = await this.attempt('get', () => this.backend.get(fullKey));
    if (cached) {
      this.count('hit');
      return { body: cached, hit: true };
    }
    this.count('miss');
    const body = await this.singleFlight(fullKey, async () => {
      const loaded = await load();
      if (loaded !== null && cached !== undefined) {
        await this.attempt('set', () => this.backend.set(fullKey, loaded, this.options.ttlSeconds));
      }
      return loaded;
    });
    return { body, hit: false };
  }

  /** Makes every cached catalog response stale, in every task sharing the backend. */
  async invalidate(): Promise<void> {
    this.epoch++;
    this.near?.clear();
    await this.attempt('invalidate', () => this.backend.incr(GENERATION_KEY));
  }

  async ping(): Promise<void> {
    await this.backend.ping();
  }

  /** Concurrent misses for one key share a single database load. */
  private singleFlight(key: string, load: () => Promise<string | null>): Promise<string | null> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = load().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private count(result: 'hit' | 'miss') {
    this.options.metrics.cacheLookups.inc({ cache: this.backend.name, result });
  }

  /** Runs a backend call; undefined means it failed and the caller should go around it. */
  private async attempt<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await call();
      this.options.metrics.cacheBackendUp.set({ cache: this.backend.name }, 1);
      return value;
    } catch {
      this.options.metrics.cacheErrors.inc({ cache: this.backend.name, operation });
      this.options.metrics.cacheBackendUp.set({ cache: this.backend.name }, 0);
      return undefined;
    }
  }
}
