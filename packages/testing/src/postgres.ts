import { randomUUID } from 'node:crypto';
import { type Database, migrate, openDatabase } from '@e3d/db';
import pg from 'pg';

/**
 * Every database-backed test runs twice: on the embedded defaults (PGlite, in-process cache)
 * and on real Postgres + Redis. Each run gets its own database (and the API its own Redis key
 * prefix), so tests never touch the quick-start data or each other.
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

export interface TestDatabase {
  db: Database;
  /** The Postgres database's URL, for a second session on it; undefined on embedded (in-memory PGlite). */
  url: string | undefined;
  /** Closes the database and drops it. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply the migrations (default false: an empty database). */
  migrate?: boolean;
  poolMax?: number;
}

/** A database of its own for one test file on `backend`: in-memory PGlite, or a new Postgres database. */
export async function testDatabase(
  backend: BackendName,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const created = backend === 'postgres+redis' ? await createPostgresDatabase() : undefined;
  const db = await openDatabase({ databaseUrl: created?.url, poolMax: options.poolMax });
  if (options.migrate) await migrate(db);
  return {
    db,
    url: created?.url,
    async close() {
      await db.close();
      await created?.drop();
    },
  };
}
