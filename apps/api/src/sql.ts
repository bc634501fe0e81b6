import type { Database, Orm } from '@e3d/db';
import { type SQL, sql } from 'drizzle-orm';
import { AppError } from './errors.ts';

/**
 * Helpers for drizzle `sql` templates run on the ORM or inside `db.orm.transaction()` — the
 * transaction holds one session (a pool client, or PGlite's exclusive lock), so concurrent
 * requests never interleave with it.
 */

export type Executor = Pick<Orm, 'execute'>;
export type Tx = Parameters<Parameters<Orm['transaction']>[0]>[0];

export async function rowsOf<T>(conn: Executor, query: SQL): Promise<T[]> {
  const result = await conn.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

/** A timestamptz as an ISO 8601 string in UTC, the same on every driver. */
export const iso = (column: SQL) =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The Postgres error behind a failed query (drizzle wraps it), when there is one. */
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

/**
 * A unique index (or CHECK constraint) named as the conflict a client can act on: `code`, and
 * the `field` it is about.
 */
export interface UniqueConflict {
  code: string;
  field: string;
  message: string;
}

export function conflict(code: string, field: string, message: string): AppError {
  return new AppError(409, code, `${field} ${message}`, [{ field, message }]);
}

/**
 * One admin write: `fn` runs in a drizzle transaction (its audit entry and jobs commit with
 * it). Services check uniqueness first to name the exact field; a race that still hits one of
 * the `unique` indexes becomes the same 409, and so does a CHECK constraint listed there.
 */
export async function writeTransaction<T>(
  db: Database,
  unique: Readonly<Record<string, UniqueConflict>>,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  try {
    return await db.orm.transaction(fn);
  } catch (error) {
    const constraint = constraintViolation(error);
    const known = constraint ? unique[constraint] : undefined;
    if (known) throw conflict(known.code, known.field, known.message);
    throw error;
  }
}
