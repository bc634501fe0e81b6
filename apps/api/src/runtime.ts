import path from 'node:path';
import { loadJwtSecret } from '@e3d/auth';
import type { Config } from '@e3d/config';
import { type Database, openDatabase } from '@e3d/db';
import { createMailerFromConfig, type Mailer } from '@e3d/mail';
import { createPaymentProviderFromConfig } from '@e3d/payments';
import { createCdnInvalidator, type ObjectStore, openStoreFromConfig } from '@e3d/storage';
import type { AppDeps } from './app.ts';
import type { CacheBackend } from './cache/backend.ts';
import { CatalogCache } from './cache/catalog-cache.ts';
import { createMemoryBackend } from './cache/memory.ts';
import { createRedisBackend } from './cache/redis.ts';
import { createMetrics } from './plugins/metrics.ts';
import {
  createMemoryRateLimitStore,
  createRedisRateLimitStore,
  type RateLimitStore,
} from './plugins/rate-limit-store.ts';

export interface Runtime extends AppDeps {
  close(): Promise<void>;
}

/** The backing services the settings choose: embedded defaults, or Postgres/Redis/S3. */
export async function openRuntime(
  config: Config,
  overrides: { redisKeyPrefix?: string; db?: Database; store?: ObjectStore } = {},
): Promise<Runtime> {
  const db =
    overrides.db ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      pgliteDir: path.join(config.dataDir, 'pglite'),
      poolMax: config.DATABASE_POOL_MAX,
      applicationName: 'e3d-api',
    }));
  const metrics = createMetrics();
  let backend: CacheBackend | undefined;
  let store: ObjectStore;
  let rateLimitStore: RateLimitStore;
  let mailer: Mailer;
  try {
    mailer = createMailerFromConfig(config);
    store = overrides.store ?? (await openStoreFromConfig(config));
    backend = config.REDIS_URL
      ? await createRedisBackend(config.REDIS_URL, { keyPrefix: overrides.redisKeyPrefix ?? 'e3d:' })
      : createMemoryBackend();
    rateLimitStore = config.REDIS_URL
      ? await createRedisRateLimitStore(config.REDIS_URL, {
          keyPrefix: `${overrides.redisKeyPrefix ?? 'e3d:'}rl:`,
          registry: metrics.registry,
        })
      : createMemoryRateLimitStore();
  } catch (error) {
    await backend?.close();
    if (!overrides.db) await db.close();
    throw error;
  }
  const cdn = createCdnInvalidator({
    distributionId: config.CLOUDFRONT_DISTRIBUTION_ID,
    clientConfig: { region: config.AWS_REGION },
  });
  const jwtSecret = await loadJwtSecret(config);
  const payments = await createPaymentProviderFromConfig({ ...config, dataDir: config.dataDir });
  const cache = new CatalogCache(backend, {
    ttlSeconds: config.CACHE_TTL_SECONDS,
    enabled: config.CACHE_ENABLED,
    metrics,
  });
  // Catalog writes anywhere (admin API, import, psql) NOTIFY on commit (migration 0003);
  // each task then drops its cached responses. A lost listening session counts as a change.
  const unlisten = await db.listen('e3d_catalog', () => {
    void cache.invalidate();
  });
  return {
    config,
    db,
    store,
    cdn,
    jwtSecret,
    cache,
    metrics,
    mailer,
    rateLimitStore,
    payments,
    async close() {
      await unlisten();
      await cdn.close();
      await backend.close();
      await rateLimitStore.close();
      await mailer.close();
      if (!overrides.db) await db.close();
    },
  };
}
