import { LRUCache } from 'lru-cache';
import type { CacheBackend } from './backend.ts';

export function createMemoryBackend(options: { maxEntries?: number; maxBytes?: number } = {}): CacheBackend {
  const entries = new LRUCache<string, string>({
    max: options.maxEntries ?? 5_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value) => value.length * 2 || 1,
  });
  const counters = new Map<string, number>();
  return {
    name: 'memory',
    async get(key) {
      return entries.get(key) ?? counters.get(key)?.toString() ?? null;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    async incr(key) {
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return next;
    },
    async ping() {},
    async close() {
      entries.clear();
    },
  };
}
