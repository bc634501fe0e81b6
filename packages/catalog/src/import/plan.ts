import { type Database, rows, sql } from '@e3d/db';
import type { ImportProblem, ImportProduct } from './product.ts';
import type { ImportSource } from './source.ts';

/** What an import would do, known before anything is written. */
export interface ImportPlan {
  source: ImportSource;
  /** Products to create, in source order. */
  create: ImportProduct[];
  /** Products left alone: their handle is already in the catalog (never overwritten). */
  skip: { product: ImportProduct; reason: string }[];
  /** The source's problems and the ones only the database shows (a SKU another product has). */
  problems: ImportProblem[];
  /** Category paths (`home-decor/lighting`) with at least one category to be created. */
  newCategories: string[];
}

interface CategoryRow {
  handle: string;
  parent_handle: string | null;
}

/**
 * Checks a source against the catalog without writing: existing handles are skipped, a SKU
 * another product already has is a problem, and so is a category path that contradicts the
 * tree (`home-decor/lighting` when `lighting` sits under another parent).
 */
export async function planImport(db: Database, source: ImportSource): Promise<ImportPlan> {
  const problems = [...source.problems];
  const products = source.products;
  const existing = new Set(
    (
      await rows<{ handle: string }>(
        db,
        sql`SELECT handle FROM products WHERE handle = ANY(${sql.param(products.map((p) => p.handle))}::text[])`,
      )
    ).map((r) => r.handle),
  );
  const skip = products
    .filter((p) => existing.has(p.handle))
    .map((product) => ({ product, reason: `a product with handle ${product.handle} exists` }));
  const create = products.filter((p) => !existing.has(p.handle));

  const at = (p: ImportProduct, field: string, message: string) =>
    problems.push({ where: p.where, ...(p.row !== undefined && { row: p.row }), field, message });

  const skuOwners = new Map(
    (
      await rows<{ sku: string; handle: string }>(
        db,
        sql`SELECT v.sku, p.handle FROM product_variants v JOIN products p ON p.id = v.product_id
            WHERE v.sku = ANY(${sql.param(create.flatMap((p) => p.variants.map((v) => v.sku)))}::text[])`,
      )
    ).map((r) => [r.sku, r.handle]),
  );
  for (const p of create) {
    for (const v of p.variants) {
      const owner = skuOwners.get(v.sku);
      if (owner) at(p, 'sku', `SKU ${v.sku} already belongs to product ${owner}`);
    }
  }

  const segments = [...new Set(create.flatMap((p) => p.categories.flat()))];
  const known = new Map(
    (
      await rows<CategoryRow>(
        db,
        sql`SELECT c.handle, parent.handle AS parent_handle FROM categories c
            LEFT JOIN categories parent ON parent.id = c.parent_id WHERE c.handle = ANY(${sql.param(segments)}::text[])`,
      )
    ).map((r) => [r.handle, r.parent_handle]),
  );
  // Categories this import creates, with their parent: two rows must not disagree either.
  const planned = new Map<string, string | null>();
  const newCategories = new Set<string>();
  for (const p of create) {
    for (const categoryPath of p.categories) {
      categoryPath.forEach((handle, i) => {
        const parent = i === 0 ? undefined : (categoryPath[i - 1] as string);
        const place = (h: string | null) => (h ? `under ${h}` : 'at the top level');
        if (known.has(handle)) {
          // The first segment may sit anywhere: the path starts from it.
          const actual = known.get(handle) ?? null;
          if (parent !== undefined && actual !== parent) {
            at(p, 'category', `category ${handle} exists ${place(actual)}, not under ${parent}`);
          }
          return;
        }
        const wanted = parent ?? null;
        if (planned.has(handle) && planned.get(handle) !== wanted) {
          at(
            p,
            'category',
            `new category ${handle} is placed ${place(wanted)} here and ${place(planned.get(handle) ?? null)} elsewhere`,
          );
        }
        planned.set(handle, wanted);
        newCategories.add(categoryPath.join('/'));
      });
    }
  }
  return { source, create, skip, problems, newCategories: [...newCategories] };
}
