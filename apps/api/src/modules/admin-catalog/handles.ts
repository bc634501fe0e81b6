import { type Queryable, rows, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';

/** "Oak Desk — Large" → "oak-desk-large". */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 190)
    .replace(/-+$/, '');
}

/**
 * A handle for a new row: the one given (taken → 409), or one made from the title, with
 * -2, -3 … appended when the plain one is taken.
 */
export async function chooseHandle(
  tx: Queryable,
  table: 'products' | 'categories' | 'collections',
  given: string | undefined,
  title: string,
  titleField: string,
): Promise<string> {
  const from = sql.identifier(table);
  if (given) {
    const [taken] = await rows(tx, sql`SELECT 1 FROM ${from} WHERE handle = ${given}`);
    if (taken) {
      const message = `is used by another ${table === 'categories' ? 'category' : table.slice(0, -1)}`;
      throw new AppError(409, 'handle_taken', `handle "${given}" ${message}`, [{ field: 'handle', message }]);
    }
    return given;
  }
  const base = slugify(title);
  if (!base) throw AppError.invalid(titleField, 'gives no handle: add letters or digits, or send a handle');
  const used = new Set(
    (
      await rows<{ handle: string }>(
        tx,
        sql`SELECT handle FROM ${from} WHERE handle = ${base} OR handle LIKE ${`${base}-%`}`,
      )
    ).map((r) => r.handle),
  );
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
