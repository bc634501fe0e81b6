import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Connection, Orm } from './client.ts';

/**
 * The one way this codebase queries: a drizzle `sql` template, run with `rows()` on whatever
 * holds the session — the `Database` (its pool), a `Connection` from `db.transaction()` or
 * `db.withConnection()`, or a drizzle transaction from `db.orm.transaction()`. Interpolated
 * values become bind parameters; an array interpolates as a parenthesised list (`IN ${ids}`), while
 * `${sql.param(ids)}` sends it as one array parameter (`= ANY(${sql.param(ids)}::uuid[])`).
 */
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];
export type Queryable = Pick<Connection, 'query'> | Pick<Orm, 'execute'>;

const dialect = new PgDialect();

/** The text and bind parameters Postgres receives for `query`. */
export function toQuery(query: SQL): { text: string; params: unknown[] } {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { text, params };
}

export interface RowsOptions {
  /**
   * Run as a named prepared statement where the session supports it: each connection plans
   * the text once. For the hot read paths, whose planning costs as much as running them.
   */
  prepared?: boolean;
}

/** The rows `query` returns (none for a statement without RETURNING). */
export async function rows<T = Record<string, unknown>>(
  conn: Queryable,
  query: SQL,
  options: RowsOptions = {},
): Promise<T[]> {
  // A drizzle database or transaction also has a `query` member (its relational API), so
  // `execute` decides which kind of session this is.
  if ('execute' in conn) {
    const result = await conn.execute(query);
    return (result as unknown as { rows: T[] }).rows;
  }
  const { text, params } = toQuery(query);
  if (options.prepared && 'queryPrepared' in conn) {
    return (conn as Connection).queryPrepared<T>(text, params);
  }
  return conn.query<T>(text, params);
}

/** A timestamptz as an ISO 8601 string in UTC, the same on every driver. */
export const iso = (column: SQL) =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A row type with its timestamps read through `iso()`: ISO 8601 strings instead of Dates. */
export type Iso<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/** The Postgres error behind a failed query (drivers and drizzle wrap it), when there is one. */
export function pgError(error: unknown): { code: string; constraint?: string } | undefined {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return e as { code: string; constraint?: string };
  }
  return undefined;
}

/** The unique index a failed write ran into, if that is why it failed. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = pgError(error);
  return e?.code === '23505' ? (e.constraint ?? '') : undefined;
}

/** The unique index or CHECK constraint a failed write ran into, if that is why it failed. */
export function constraintViolation(error: unknown): string | undefined {
  const e = pgError(error);
  return e?.code === '23505' || e?.code === '23514' ? (e.constraint ?? '') : undefined;
}
