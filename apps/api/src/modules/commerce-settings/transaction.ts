import { CURRENCY_EXPONENTS } from '@e3d/commerce';
import type { Database, Tx } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { conflict, type UniqueConflict, writeTransaction } from '../../write-transaction.ts';

/** Unique indexes a settings write can run into, as the conflict a client can act on. */
const UNIQUE: Record<string, UniqueConflict> = {
  promotions_code_key: { code: 'code_taken', field: 'code', message: 'is used by another promotion' },
  shipping_methods_code_key: {
    code: 'code_taken',
    field: 'code',
    message: 'is used by another shipping method',
  },
  tax_rates_scope_key: {
    code: 'tax_rate_exists',
    field: 'country',
    message: 'already has a rate for this region and category',
  },
};

export { conflict };

/** A settings write in one transaction with its audit entry; unique races become a 409. */
export const settingsTransaction = <T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> =>
  writeTransaction(db, UNIQUE, fn);

/**
 * The contracts accept any ISO 4217 code; pricing refuses currencies whose minor unit it does
 * not know (`unknown_currency`), so such a currency is refused here, before it is stored.
 */
export function requirePriceableCurrency(field: string, currency: string | null | undefined): void {
  if (currency == null) return;
  if (!Object.hasOwn(CURRENCY_EXPONENTS, currency)) {
    throw AppError.invalid(field, `${currency} is not a currency the shop can price in`);
  }
}

/** The first problem of a merged update, as the 400 that names its field. */
export function firstInvalid(issues: ({ field: string; message: string } | null)[]): void {
  const issue = issues.find((i) => i !== null);
  if (issue) throw AppError.invalid(issue.field, issue.message);
}
