import { Redis } from 'ioredis';
import type { CacheBackend } from './backend.ts';

export class RedisConnectError extends Error {
  constructor(detail: string) {
    super(`REDIS_URL: cannot connect to Redis (${detail})`);
    this.name = 'RedisConnectError';
  }
}

/**
 * Fails fast instead of queueing: when Redis is away a command errors at once and the
 * caller answers from the database, while the client keeps reconnecting in the background.
 */
export async function createRedisBackend(
  url: string,
  options: { keyPrefix?: string } = {},
): Promise<CacheBackend> {
  const client = new Redis(url, {
    lazyConnect: true,
    keyPrefix: options.keyPrefix ?? 'e3d:',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Errors surface on the commands; without this listener ioredis would log each retry.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const where = new URL(url);
    throw new RedisConnectError(`${where.hostname}:${where.port || 6379}: ${(error as Error).message}`);
  }
  return {
    name: 'redis',
    get: (key) => client.get(key),
    async set(key, value, ttlSeconds) {
      await client.set(key, value, 'EX', Math.max(1, ttlSeconds));
    },
    incr: (key) => client.incr(key),
    async ping() {
      await client.ping();
    },
    async close() {
      client.disconnect();
    },
  };
}
