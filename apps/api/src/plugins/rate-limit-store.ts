import type { Redis } from 'ioredis';
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
 * Exponential backoff on one key: `free` attempts in a row go through at once; from the
 * `free`-th on, each one makes the next wait `firstDelayMs`, then twice that, and so on up to
 * `maxDelayMs`. The attempts are forgotten `forgetMs` after the last one.
 */
export interface BackoffPolicy {
  free: number;
  firstDelayMs: number;
  maxDelayMs: number;
  forgetMs: number;
}

export interface BackoffAttempt {
  /** False while the key waits out its delay; the attempt was not counted then. */
  allowed: boolean;
  /** Milliseconds until the key may try again (0 when allowed). */
  retryMs: number;
  /** Set when the shared store failed and this attempt was counted in this process only. */
  fallback?: Error;
}

/** How long attempt `count` (1-based) makes the next one wait, under `policy`. */
export function backoffDelayMs(count: number, policy: BackoffPolicy): number {
  if (count < policy.free) return 0;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(count - policy.free, 40));
}

/**
 * Fixed-window counters: the first hit on a key opens a window of `windowMs`; every hit
 * in it counts. Beside them, backoff keys (`attempt` / `forget`). In this process by
 * default, in Redis (shared by every API task) with REDIS_URL.
 */
export interface RateLimitStore {
  readonly name: 'memory' | 'redis';
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** Takes one hit back from the key's current window (a call that turned out not to count). */
  unhit(key: string): Promise<void>;
  /**
   * Counts an attempt on a backoff key, or refuses it while the key waits. Counted before
   * the caller does the work, atomically, so concurrent attempts cannot all slip through.
   */
  attempt(key: string, policy: BackoffPolicy): Promise<BackoffAttempt>;
  /** Forgets a backoff key's attempts and its wait (the attempts came to a good end). */
  forget(key: string): Promise<void>;
  close(): Promise<void>;
}

/** The two entries of a backoff key; the braces keep both in one Redis Cluster slot. */
const backoffKeys = (key: string) => [`{${key}}:n`, `{${key}}:wait`] as const;

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
    async unhit(key) {
      const window = windows.get(key);
      if (window && window.resetAt > now()) window.count = Math.max(0, window.count - 1);
    },
    async attempt(key, policy) {
      const at = now();
      const [countKey, waitKey] = backoffKeys(key);
      const wait = windows.get(waitKey);
      if (wait && wait.resetAt > at) return { allowed: false, retryMs: wait.resetAt - at };
      const live = windows.get(countKey);
      const count = (live && live.resetAt > at ? live.count : 0) + 1;
      windows.set(countKey, { count, resetAt: at + policy.forgetMs });
      const delay = backoffDelayMs(count, policy);
      if (delay > 0) windows.set(waitKey, { count: 1, resetAt: at + delay });
      return { allowed: true, retryMs: 0 };
    },
    async forget(key) {
      for (const k of backoffKeys(key)) windows.delete(k);
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

/** DECR that never goes below zero and never creates the key. */
const UNHIT_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

/**
 * KEYS: count, wait. ARGV: forgetMs, free, firstDelayMs, maxDelayMs. Returns {allowed, retryMs}.
 * The same rule as backoffDelayMs.
 */
const ATTEMPT_SCRIPT = `
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return {0, wait} end
if wait == -1 then redis.call('DEL', KEYS[2]) end
local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local free = tonumber(ARGV[2])
if count >= free then
  local delay = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(count - free, 40))
  redis.call('SET', KEYS[2], '1', 'PX', math.max(1, math.floor(delay)))
end
return {1, 0}
`;

interface RateLimitCommands {
  e3dRateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  e3dRateLimitUnhit(key: string): Promise<number>;
  e3dRateLimitAttempt(
    countKey: string,
    waitKey: string,
    forgetMs: number,
    free: number,
    firstDelayMs: number,
    maxDelayMs: number,
  ): Promise<[number, number]>;
}

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
    prepare: (redis) => {
      redis.defineCommand('e3dRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
      redis.defineCommand('e3dRateLimitUnhit', { numberOfKeys: 1, lua: UNHIT_SCRIPT });
      redis.defineCommand('e3dRateLimitAttempt', { numberOfKeys: 2, lua: ATTEMPT_SCRIPT });
    },
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
  const redis = client as unknown as Redis & RateLimitCommands;
  const ms = (value: number) => Math.max(1, Math.round(value));
  /** Runs `inRedis`; when Redis does not answer, `inProcess` instead, with the error. */
  const orLocally = async <T>(inRedis: () => Promise<T>, inProcess: () => Promise<T>) => {
    try {
      const result = await inRedis();
      up.set(1);
      return { result };
    } catch (error) {
      errors.inc();
      up.set(0);
      return { result: await inProcess(), fallback: error as Error };
    }
  };
  return {
    name: 'redis',
    async hit(key, windowMs) {
      const { result, fallback } = await orLocally(
        async () => {
          const [count, resetMs] = await redis.e3dRateLimitHit(key, ms(windowMs));
          return { count: Number(count), resetMs: Number(resetMs) };
        },
        () => local.hit(key, windowMs),
      );
      return fallback ? { ...result, fallback } : result;
    },
    async unhit(key) {
      await orLocally(
        async () => {
          await redis.e3dRateLimitUnhit(key);
        },
        () => local.unhit(key),
      );
    },
    async attempt(key, policy) {
      const [countKey, waitKey] = backoffKeys(key);
      const { result, fallback } = await orLocally(
        async () => {
          const [allowed, retryMs] = await redis.e3dRateLimitAttempt(
            countKey,
            waitKey,
            ms(policy.forgetMs),
            policy.free,
            ms(policy.firstDelayMs),
            ms(policy.maxDelayMs),
          );
          return { allowed: Number(allowed) === 1, retryMs: Number(retryMs) };
        },
        () => local.attempt(key, policy),
      );
      return fallback ? { ...result, fallback } : result;
    },
    async forget(key) {
      await orLocally(
        async () => {
          await redis.del(...backoffKeys(key));
        },
        () => local.forget(key),
      );
    },
    async close() {
      client.disconnect();
      await local.close();
    },
  };
}
