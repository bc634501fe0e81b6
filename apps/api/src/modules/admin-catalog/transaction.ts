import type { Database } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { type Tx, uniqueViolation } from '../../sql.ts';

/** Unique indexes a write can run into, as the conflict a client can act on. */
const UNIQUE: Record<string, { code: string; field: string; message: string }> = {
  products_handle_key: { code: 'handle_taken', field: 'handle', message: 'is used by another product' },
  categories_handle_key: { code: 'handle_taken', field: 'handle', message: 'is used by another category' },
  collections_handle_key: { code: 'handle_taken', field: 'handle', message: 'is used by another collection' },
  product_variants_sku_key: { code: 'sku_taken', field: 'sku', message: 'is used by another variant' },
};

export function conflict(code: string, field: string, message: string): AppError {
  return new AppError(409, code, `${field} ${message}`, [{ field, message }]);
}

/**
 * One catalog write: `fn` runs in a transaction (its audit entry and storefront job commit
 * with it). Services check uniqueness first to name the exact field; a race that still hits
 * a unique index becomes the same 409.
 */
export async function catalogTransaction<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db.orm.transaction(fn);
  } catch (error) {
    const constraint = uniqueViolation(error);
    const known = constraint ? UNIQUE[constraint] : undefined;
    if (known) throw conflict(known.code, known.field, known.message);
    throw error;
  }
}
