import type { Database, Tx } from '@e3d/db';
import { conflict, type UniqueConflict, writeTransaction } from '../../write-transaction.ts';

/** Unique indexes and CHECK constraints a write can run into, as the conflict a client can act on. */
const UNIQUE: Record<string, UniqueConflict> = {
  products_handle_key: { code: 'handle_taken', field: 'handle', message: 'is used by another product' },
  categories_handle_key: { code: 'handle_taken', field: 'handle', message: 'is used by another category' },
  collections_handle_key: { code: 'handle_taken', field: 'handle', message: 'is used by another collection' },
  product_variants_sku_key: { code: 'sku_taken', field: 'sku', message: 'is used by another variant' },
  // CHECK (migration 0012): only a backorder variant may have sold ahead of its stock.
  product_variants_stock_nonnegative: {
    code: 'stock_below_zero',
    field: 'allowBackorder',
    message:
      'cannot be turned off while backorders keep the stock below zero: set the stock in the same edit',
  },
};

export { conflict };

/** A catalog write in one transaction; unique-index races become the 409 that names the field. */
export const catalogTransaction = <T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> =>
  writeTransaction(db, UNIQUE, fn);
