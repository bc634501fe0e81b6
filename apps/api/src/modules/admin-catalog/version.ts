import { sql } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { rowsOf, type Tx } from '../../sql.ts';

/** `If-Match: "3"`, `W/"3"` or `3`: the version the client last read. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value ?? '');
  if (!match) throw AppError.invalid('If-Match', 'must be the product version, e.g. "3"');
  return Number(match[1]);
}

/** The version a write expects, from the body or If-Match; `required` writes must send one. */
export function expectedVersion(
  body: number | undefined,
  ifMatch: string | string[] | undefined,
  required: boolean,
): number | undefined {
  const header = parseIfMatch(ifMatch);
  if (body !== undefined && header !== undefined && body !== header) {
    throw AppError.invalid('version', 'differs from If-Match');
  }
  const version = body ?? header;
  if (version === undefined && required) {
    throw AppError.invalid('version', 'is required: send the version you last read, or If-Match');
  }
  return version;
}

export const etag = (version: number) => `"${version}"`;

export interface LockedProduct {
  id: string;
  handle: string;
  status: 'draft' | 'published' | 'archived';
  version: number;
}

/**
 * Locks the product row for the rest of the transaction and checks the caller saw its
 * current version, so two editors cannot overwrite each other's changes unseen.
 */
export async function lockProduct(tx: Tx, productId: string, expected: number | undefined) {
  const [row] = await rowsOf<LockedProduct>(
    tx,
    sql`SELECT id, handle, status, version FROM products WHERE id = ${productId} FOR UPDATE`,
  );
  if (!row) throw AppError.notFound('product_not_found', `No product with id ${productId}`);
  if (expected !== undefined && row.version !== expected) {
    throw new AppError(
      409,
      'version_conflict',
      `The product changed since version ${expected}; it is now at version ${row.version}. Reload it and apply your change again.`,
      undefined,
      { currentVersion: row.version },
    );
  }
  return row;
}

/** Every successful write of a product or its variants moves it to the next version. */
export async function bumpVersion(tx: Tx, productId: string): Promise<number> {
  const [row] = await rowsOf<{ version: number }>(
    tx,
    sql`UPDATE products SET version = version + 1 WHERE id = ${productId} RETURNING version`,
  );
  return row?.version ?? 0;
}
