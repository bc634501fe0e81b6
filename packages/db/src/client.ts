import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { bindActiveContext, type DbTarget, endDbSpan, startDbSpan, traceStatement } from '@e3d/telemetry';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import * as schema from './schema/index.ts';
import { DatabaseUnavailableError, isConnectionFailure } from './unavailable.ts';

export type Schema = typeof schema;
export type Orm = PgDatabase<PgQueryResultHKT, Schema>;

/** One session on the database: advisory locks and transactions live on a session. */
export interface Connection {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Like query, as a named prepared statement: each connection plans the text once and
   * reuses the plan. For the hot read paths, whose planning costs as much as running them.
   */
  queryPrepared<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migration files). */
  exec(script: string): Promise<void>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface Database extends Connection {
  readonly kind: 'pglite' | 'postgres';
  readonly orm: Orm;
  /** Runs `fn` on one dedicated session. */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in one transaction on one session: committed when it resolves, rolled back when
   * it throws. On PGlite other callers wait for it (a raw BEGIN there would let concurrent
   * requests' statements join the transaction, and a rollback undo them).
   */
  transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  poolStats(): PoolStats;
  /**
   * Calls `onNotify` for each NOTIFY on `channel`. After the listening session is lost and
   * re-established it calls `onNotify(null)`: notifications may have been missed meanwhile.
   * Resolves to a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string | null) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export class DatabaseConnectError extends Error {
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting}: cannot connect to the database (${detail})`);
    this.name = 'DatabaseConnectError';
  }
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite data folder; when absent PGlite runs in memory (tests). */
  pgliteDir?: string | undefined;
  poolMax?: number;
  applicationName?: string;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options.pgliteDir);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    application_name: options.applicationName ?? 'e3d',
  });
  // An idle client that loses its server emits here; without a listener Node would crash.
  pool.on('error', () => {});
  guardPool(pool);
  tracePool(pool, url);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const where = new URL(url);
    const cause = error instanceof DatabaseUnavailableError ? error.cause : error;
    throw new DatabaseConnectError(
      'DATABASE_URL',
      `${where.hostname}:${where.port || 5432}${where.pathname}: ${describe(cause)}`,
    );
  }
  const wrap = (client: pg.Pool | pg.PoolClient): Connection => ({
    async query<T>(text: string, params?: unknown[]) {
      const result = await client.query(text, params as unknown[]);
      return result.rows as T[];
    },
    async queryPrepared<T>(text: string, params?: unknown[]) {
      const name = `e3d_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      const result = await client.query({ name, text, values: params as unknown[] });
      return result.rows as T[];
    },
    async exec(script: string) {
      await client.query(script);
    },
  });
  return {
    kind: 'postgres',
    orm: drizzleNodePg(pool, { schema }) as unknown as Orm,
    ...wrap(pool),
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn(wrap(client));
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    listen: (channel, onNotify) => listenPostgres(url, channel, onNotify),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: options.poolMax ?? 10,
    }),
    close: () => pool.end(),
  };
}

async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  let client: PGlite;
  try {
    client = await PGlite.create(dir ?? 'memory://', { extensions: { pg_trgm } });
  } catch (error) {
    throw new DatabaseConnectError('DATA_DIR', `embedded database at ${dir}: ${describe(error)}`);
  }
  tracePglite(client);
  const conn: Connection = {
    async query<T>(text: string, params?: unknown[]) {
      const result = await client.query<T>(text, params);
      return result.rows;
    },
    async queryPrepared<T>(text: string, params?: unknown[]) {
      const result = await client.query<T>(text, params);
      return result.rows;
    },
    async exec(script: string) {
      await client.exec(script);
    },
  };
  let busy = 0;
  return {
    kind: 'pglite',
    orm: drizzlePglite(client, { schema }) as unknown as Orm,
    ...conn,
    // PGlite is a single session already; count callers so pool metrics mean the same.
    async withConnection(fn) {
      busy++;
      try {
        return await fn(conn);
      } finally {
        busy--;
      }
    },
    async listen(channel, onNotify) {
      return client.listen(channel, (payload) => onNotify(payload));
    },
    transaction(fn) {
      return client.transaction((tx) =>
        fn({
          async query<T>(text: string, params?: unknown[]) {
            return (await traceStatement(PGLITE, text, () => tx.query<T>(text, params))).rows;
          },
          async queryPrepared<T>(text: string, params?: unknown[]) {
            return (await traceStatement(PGLITE, text, () => tx.query<T>(text, params))).rows;
          },
          async exec(script: string) {
            await traceStatement(PGLITE, script, () => tx.exec(script));
          },
        }),
      );
    },
    poolStats: () => ({ total: 1, idle: busy === 0 ? 1 : 0, waiting: Math.max(0, busy - 1), max: 1 }),
    close: () => client.close(),
  };
}

// ---- outages: a lost server is a DatabaseUnavailableError, and never crashes the process ----

/** A checked-out client's error also fails its statement (or the next one); the pool drops it on release. */
function whileCheckedOut() {}

/**
 * Makes every way the pool reports a lost server a DatabaseUnavailableError: a connection it
 * could not open (refused, timed out, not accepting connections, too many) and a statement
 * whose session went away (see isConnectionFailure). pool.query, drizzle and transactions all
 * pass through pool.connect and the clients' query, so wrapping those two covers them.
 *
 * A client checked out with no statement running (between a transaction's statements) that
 * loses its server emits 'error' with nobody listening: an uncaught exception, the whole
 * process gone. So while checked out it has a listener; the pool removes it when released,
 * since a client that errored is no longer queryable.
 */
function guardPool(pool: pg.Pool) {
  pool.on('acquire', (client) => client.on('error', whileCheckedOut));
  pool.on('release', (_error, client) => client.removeListener('error', whileCheckedOut));

  const connect = pool.connect.bind(pool) as (callback?: AnyQuery) => Promise<unknown> | undefined;
  (pool as unknown as { connect: unknown }).connect = (callback?: unknown) => {
    if (typeof callback !== 'function') {
      return connect()?.catch((error: unknown) => {
        throw new DatabaseUnavailableError(error);
      });
    }
    return connect((error: unknown, ...rest: unknown[]) =>
      (callback as AnyQuery)(error ? new DatabaseUnavailableError(error) : error, ...rest),
    );
  };
  const unavailable = (error: unknown) =>
    isConnectionFailure(error) ? new DatabaseUnavailableError(error) : error;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as AnyQuery;
    (client as unknown as { query: AnyQuery }).query = (...args: unknown[]) => {
      const first = args[0] as { submit?: unknown } | undefined;
      // Cursors and streams (submittables) report errors on themselves.
      if (first && typeof first === 'object' && typeof first.submit === 'function') return query(...args);
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: unknown, result: unknown) =>
          (callback as AnyQuery)(error ? unavailable(error) : error, result);
        return query(...args);
      }
      const result = query(...args);
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw unavailable(error);
          })
        : result;
    };
  });
}

// ---- tracing: one span per statement, on the driver, so raw SQL and drizzle are both covered ----

const PGLITE: DbTarget = { driver: 'pglite', database: 'postgres' };

type AnyQuery = (...args: unknown[]) => unknown;

/**
 * Wraps `query` of every pooled client (pool.query, drizzle, transactions all end there), and
 * binds pool.connect's callbacks to their caller's context: a queued caller is otherwise
 * called back from the context of the request that released the connection.
 */
function tracePool(pool: pg.Pool, url: string) {
  const where = new URL(url);
  const target: DbTarget = {
    driver: 'pg',
    database: decodeURIComponent(where.pathname.slice(1)) || 'postgres',
    host: where.hostname,
    port: Number(where.port) || 5432,
  };
  const connect = pool.connect.bind(pool) as (callback?: unknown) => unknown;
  (pool as unknown as { connect: unknown }).connect = (callback?: unknown) =>
    connect(typeof callback === 'function' ? bindActiveContext(callback as AnyQuery) : callback);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as AnyQuery;
    (client as unknown as { query: AnyQuery }).query = (...args: unknown[]) => {
      const first = args[0] as { text?: unknown; submit?: unknown } | string | undefined;
      // Cursors and streams (submittables) run untraced.
      if (first && typeof first === 'object' && typeof first.submit === 'function') return query(...args);
      const text = typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : '';
      const span = startDbSpan(target, text);
      if (!span) return query(...args);
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: unknown, result: unknown) => {
          endDbSpan(span, error);
          return (callback as AnyQuery)(error, result);
        };
        return query(...args);
      }
      return (query(...args) as Promise<unknown>).then(
        (result) => {
          endDbSpan(span);
          return result;
        },
        (error: unknown) => {
          endDbSpan(span, error);
          throw error;
        },
      );
    };
  });
}

/** PGlite's own query and exec (drizzle and this module both call them); transactions are wrapped above. */
function tracePglite(client: PGlite) {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  client.query = ((text: string, params?: unknown[], options?: unknown) =>
    traceStatement(PGLITE, text, () => query(text, params, options as never))) as typeof client.query;
  client.exec = ((script: string, options?: unknown) =>
    traceStatement(PGLITE, script, () => exec(script, options as never))) as typeof client.exec;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A dedicated session outside the pool (LISTEN belongs to a session), reconnecting on loss. */
async function listenPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string | null) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const client = new pg.Client({ connectionString: url, application_name: 'e3d-listen' });
    client.on('error', () => {});
    client.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    });
    client.on('end', () => {
      if (stopped || current !== client) return;
      current = undefined;
      scheduleReconnect();
    });
    await client.connect();
    await client.query(`LISTEN ${quoteIdent(channel)}`);
    current = client;
    if (isReconnect) onNotify(null);
  };
  const scheduleReconnect = () => {
    retry = setTimeout(() => {
      if (stopped) return;
      connect(true).catch(scheduleReconnect);
    }, 1_000);
    retry.unref();
  };

  await connect(false);
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await current?.end().catch(() => {});
  };
}
