import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the bench creates its scratch databases on (trust auth on the project machines). */
export const POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** One statement on a short-lived session of its own; the bench needs no pool. */
export async function queryOnce<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

const onServer = (statement: string) => queryOnce(POSTGRES_URL, statement);

/** A fresh, empty database named e3d_bench_<random>; drop() is idempotent. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `e3d_bench_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE: an API child killed mid-request may leave sessions behind.
      await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
