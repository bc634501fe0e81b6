import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp, openRuntime, type Runtime } from '@e3d/api';
import { issueAccessToken, type Role } from '@e3d/auth';
import { type SeedCatalogName, seedAndProcessDemoCatalog } from '@e3d/catalog';
import { type Config, loadConfig } from '@e3d/config';
import { type Database, migrate, openDatabase, rows, sql } from '@e3d/db';
import type { PaymentProvider } from '@e3d/payments';
import { openStoreFromConfig } from '@e3d/storage';
import type { FastifyInstance } from 'fastify';
import { type BackendName, createPostgresDatabase, TEST_REDIS_URL } from './postgres.ts';

export interface TestApi {
  app: FastifyInstance;
  runtime: Runtime;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /**
   * The catalog seeded and processed before the API starts: `demo` (the default, the shop a
   * fresh install has), `fixture` (six of its products with small images and one tiny model,
   * for tests that need a catalog but not the demo's look or 3D models), or `false` for none.
   */
  seed?: SeedCatalogName | false;
  env?: Record<string, string>;
  payments?: PaymentProvider;
}

/** The API in-process (no port; `app.inject()`), on its own data directory and database. */
export async function startTestApi(backend: BackendName, options: TestApiOptions = {}): Promise<TestApi> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-test-'));
  const pgDb = backend === 'postgres+redis' ? await createPostgresDatabase() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    API_PORT: '0',
    ...(pgDb ? { DATABASE_URL: pgDb.url, REDIS_URL: TEST_REDIS_URL } : {}),
    ...options.env,
  });
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: 10 });
  await migrate(db);
  const store = await openStoreFromConfig(config);
  if (options.seed !== false) {
    await seedAndProcessDemoCatalog(db, store, { catalog: options.seed ?? 'demo', preset: 'high' });
  }
  const runtime = await openRuntime(config, { db, store, redisKeyPrefix: `e3d-test:${randomUUID()}:` });
  if (options.payments) runtime.payments = options.payments;
  const app = await buildApp(runtime);
  await app.ready();
  return {
    app,
    runtime,
    db,
    config,
    async close() {
      await app.close();
      await runtime.close();
      await db.close();
      await pgDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An active staff member of the role, and an access token for them. */
export async function staffToken(
  api: TestApi,
  role: Role,
  now?: number,
): Promise<{ id: string; token: string }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@staff.test`;
  const [row] = await rows<{ id: string }>(
    api.db,
    sql`INSERT INTO staff (email, name, role) VALUES (${email}, ${role}, ${role}) RETURNING id`,
  );
  const id = row?.id ?? '';
  return { id, token: await issueAccessToken(api.runtime.jwtSecret, { type: 'staff', id, role }, now) };
}

/** A customer account and an access token for it. */
export async function customerToken(api: TestApi, email = `shopper-${randomUUID().slice(0, 8)}@example.com`) {
  const [row] = await rows<{ id: string }>(
    api.db,
    sql`INSERT INTO customers (email, name) VALUES (${email}, ${'Test Shopper'}) RETURNING id`,
  );
  const id = row?.id ?? '';
  return { id, email, token: await issueAccessToken(api.runtime.jwtSecret, { type: 'customer', id }) };
}
