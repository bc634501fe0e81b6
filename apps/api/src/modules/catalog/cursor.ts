import { AppError } from '../../errors.ts';

/**
 * Opaque page cursors. Keyset cursors carry the last row's sort value and id, so a page
 * costs the same at row 10 and row 10,000 and rows inserted meanwhile are not skipped.
 * Relevance-ranked search has no stable key, so it pages by offset.
 */
export type KeysetCursor = { sort: string; key: string | number; id: string };
export type Cursor = KeysetCursor | { sort: 'relevance'; offset: number };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(raw: string, sort: string): Cursor {
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw AppError.invalid('cursor', 'is not a cursor this API issued');
  }
  if (typeof cursor !== 'object' || cursor === null || (cursor as { sort?: unknown }).sort !== sort) {
    throw AppError.invalid('cursor', 'belongs to a different sort order; start again without a cursor');
  }
  const c = cursor as Record<string, unknown>;
  const valid =
    sort === 'relevance'
      ? Number.isInteger(c.offset) && (c.offset as number) >= 0 && (c.offset as number) <= 10_000
      : (typeof c.key === 'string' || typeof c.key === 'number') &&
        typeof c.id === 'string' &&
        /^[0-9a-f-]{36}$/.test(c.id);
  if (!valid) throw AppError.invalid('cursor', 'is not a cursor this API issued');
  return cursor as Cursor;
}
