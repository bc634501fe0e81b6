import { Redis } from 'ioredis';
import type { CacheBackend } from './backend.ts';

export class RedisConnectError extends Error {
  constructor(detail: string) {
    super(`REDIS_URL: cannot connect to Redis (${detail})`);
    this.name = 'RedisConnectError';
  }
}

/**
 * A Redis client that fails fast instead of queueing: when Redis is away a command errors at
 * once and the caller goes around it, while the client keeps reconnecting in the background.
 * Not reachable at start-up is an error naming REDIS_URL. Shared by the cache and rate limits.
 */
export async function openFailFastRedis(
  url: string,
  options: { keyPrefix: string; prepare?: (client: Redis) => void },
): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    keyPrefix: options.keyPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Errors surface on the commands; without this listener ioredis would log each retry.
  client.on('error', () => {});
  options.prepare?.(client);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const where = new URL(url);
    throw new RedisConnectError(`${where.hostname}:${where.port || 6379}: ${(error as Error).message}`);
  }
  return client;
}

/** The catalog cache's shared backend: when Redis is away, answers come from the database. */
export async function createRedisBackend(
  url: string,
  options: { keyPrefix?: string } = {},
): Promise<CacheBackend> {
  const client = await openFailFastRedis(url, { keyPrefix: options.keyPrefix ?? 'e3d:' });
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
