import { LRUCache } from 'lru-cache';
import { Counter, Gauge, type Registry } from 'prom-client';
import { openFailFastRedis } from '../cache/redis.ts';

export interface RateLimitHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again. */
  resetMs: number;
  /** Set when the shared store failed and this hit was counted in this process only. */
  fallback?: Error;
}

/**
 * Fixed-window counters: the first hit on a key opens a window of `windowMs`; every hit
 * in it counts. In this process by default, in Redis (shared by every API task) with
 * REDIS_URL.
 */
export interface RateLimitStore {
  readonly name: 'memory' | 'redis';
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}

/** Bounded: the least recently used keys go first when an address flood fills it. */
export function createMemoryRateLimitStore(options: { maxKeys?: number; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const windows = new LRUCache<string, { count: number; resetAt: number }>({
    max: options.maxKeys ?? 100_000,
  });
  const store: RateLimitStore = {
    name: 'memory',
    async hit(key, windowMs) {
      const at = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= at) {
        window = { count: 0, resetAt: at + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { count: window.count, resetMs: window.resetAt - at };
    },
    async close() {
      windows.clear();
    },
  };
  return store;
}

/** INCR and, on a new key (or one that lost its expiry), PEXPIRE: atomic in one round trip. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

type HitCommand = (key: string, windowMs: number) => Promise<[number, number]>;

export interface RedisRateLimitStoreOptions {
  /** Prefix of every key (tests give each run its own). */
  keyPrefix?: string;
  /** Where the store's metrics go (the app's registry). */
  registry?: Registry;
}

/**
 * Counters in Redis, shared by every API task. When Redis does not answer, hits are
 * counted in this process instead — limits stay in force, per task — and each such hit is
 * counted in `e3d_rate_limit_store_errors_total` and reported to the caller (`fallback`)
 * to log. Never fails open.
 */
export async function createRedisRateLimitStore(
  url: string,
  options: RedisRateLimitStoreOptions = {},
): Promise<RateLimitStore> {
  const client = await openFailFastRedis(url, {
    keyPrefix: options.keyPrefix ?? 'e3d:rl:',
    prepare: (redis) => redis.defineCommand('e3dRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT }),
  });
  const registers = options.registry ? [options.registry] : [];
  const errors = new Counter({
    name: 'e3d_rate_limit_store_errors_total',
    help: 'Rate-limit hits Redis did not count; they were counted in this process instead',
    registers,
  });
  const up = new Gauge({
    name: 'e3d_rate_limit_store_up',
    help: '1 when Redis counted the last rate-limit hit, 0 when this process had to',
    registers,
  });
  up.set(1);
  const local = createMemoryRateLimitStore();
  const hitInRedis = (client as unknown as { e3dRateLimitHit: HitCommand }).e3dRateLimitHit.bind(client);
  return {
    name: 'redis',
    async hit(key, windowMs) {
      try {
        const [count, resetMs] = await hitInRedis(key, Math.max(1, Math.round(windowMs)));
        up.set(1);
        return { count: Number(count), resetMs: Number(resetMs) };
      } catch (error) {
        errors.inc();
        up.set(0);
        return { ...(await local.hit(key, windowMs)), fallback: error as Error };
      }
    },
    async close() {
      client.disconnect();
      await local.close();
    },
  };
}
