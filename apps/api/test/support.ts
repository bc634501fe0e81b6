import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueAccessToken, type Role } from '@e3d/auth';
import { seedAndProcessDemoCatalog } from '@e3d/catalog';
import { type Config, loadConfig } from '@e3d/config';
import { type Database, migrate, openDatabase } from '@e3d/db';
import type { PaymentProvider } from '@e3d/payments';
import { openStoreFromConfig } from '@e3d/storage';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

/**
 * Every API test runs twice: on the embedded defaults (PGlite, in-process cache) and on
 * real Postgres + Redis. Each run gets its own database and Redis key prefix, so tests
 * never touch the quick-start data or each other.
 */
export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const serversAvailable = await postgresAnswers();
if (!serversAvailable && process.env.CI) {
  throw new Error(`CI needs Postgres at ${TEST_POSTGRES_URL} (.ci/run starts it)`);
}
if (!serversAvailable) {
  console.warn(`Postgres at ${TEST_POSTGRES_URL} did not answer: only the embedded-default tests run.`);
}

export type BackendName = 'embedded' | 'postgres+redis';
export const BACKENDS: BackendName[] = serversAvailable ? ['embedded', 'postgres+redis'] : ['embedded'];

/** A fresh, empty Postgres database; drop() removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `e3d_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestApi {
  app: FastifyInstance;
  runtime: Runtime;
  db: Database;
  config: Config;
  close(): Promise<void>;
}

export async function startTestApi(
  backend: BackendName,
  options: { seed?: boolean; env?: Record<string, string>; payments?: PaymentProvider } = {},
): Promise<TestApi> {
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
  if (options.seed !== false) await seedAndProcessDemoCatalog(db, store, { preset: 'high' });
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
  const [row] = await api.db.query<{ id: string }>(
    'INSERT INTO staff (email, name, role) VALUES ($1, $2, $3) RETURNING id',
    [email, role, role],
  );
  const id = row?.id ?? '';
  return { id, token: await issueAccessToken(api.runtime.jwtSecret, { type: 'staff', id, role }, now) };
}

/** A customer account and an access token for it. */
export async function customerToken(api: TestApi, email = `shopper-${randomUUID().slice(0, 8)}@example.com`) {
  const [row] = await api.db.query<{ id: string }>(
    'INSERT INTO customers (email, name) VALUES ($1, $2) RETURNING id',
    [email, 'Test Shopper'],
  );
  const id = row?.id ?? '';
  return { id, email, token: await issueAccessToken(api.runtime.jwtSecret, { type: 'customer', id }) };
}
