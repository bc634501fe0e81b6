import { constraintViolation, type Database, type Tx } from '@e3d/db';
import { AppError } from './errors.ts';

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
