import { type Database, rows, sql } from '@e3d/db';

/**
 * A catalog far larger than the demo seed, generated with set-based SQL so it takes seconds:
 * 10,000 published products, each with Colour x Size options (5 x 2 = 10 variants), except one
 * product with 25 x 20 = 500 variants; a two-level category tree; two images per product.
 *
 * Ids are md5 hashes of a row's coordinates (product 17, option 0, value 3…), so each
 * statement can point at rows an earlier one made without a lookup or a session-bound
 * temporary table.
 */

export const LARGE_PRODUCT_COUNT = 10_000;
export const BIG_PRODUCT_HANDLE = 'big-variant-product';
export const BIG_PRODUCT_VARIANTS = 500;
/** A normal product (10 variants) to compare the big one against. */
export const NORMAL_PRODUCT_HANDLE = 'product-5000';
/** A root category: listing it walks the subtree (3 children, about 2,000 products). */
export const LARGE_CATEGORY_HANDLE = 'lighting';
/** Every tenth title has this word: full-text search finds about 1,000 products. */
export const LARGE_SEARCH_WORD = 'walnut';

const BIG_INDEX = LARGE_PRODUCT_COUNT;

/** A SQL array literal of words (ours, without quotes in them). */
const sqlArray = (words: string) =>
  `ARRAY[${words
    .split(' ')
    .map((w) => `'${w}'`)
    .join(', ')}]`;

const MATERIALS = sqlArray('Walnut Oak Brass Ceramic Linen Marble Copper Glass Rattan Concrete');
const OBJECTS = sqlArray('Chair Lamp Vase Table Shelf Stool Mirror Clock Bowl Rug Bench Planter');
const COLOURS = sqlArray(
  'Black White Grey Red Orange Yellow Green Blue Navy Teal Purple Pink Brown Beige Olive ' +
    'Mint Coral Sand Slate Rust Ivory Plum Mustard Sky Forest',
);
const SIZES = sqlArray('XXS XS S M L XL XXL 3XL 28 30 32 34 36 38 40 42 44 46 48 50');
const ROOT_CATEGORIES = sqlArray('Furniture Lighting Decor Kitchen Office');
const SUB_CATEGORIES = sqlArray('Classic Modern Outdoor');

/** One row per product with how many colours and sizes it has; every statement starts here. */
const SHAPE = `WITH shape AS (
  SELECT i, md5('product-' || i)::uuid AS product_id,
    CASE WHEN i = ${BIG_INDEX} THEN 25 ELSE 5 END AS colours,
    CASE WHEN i = ${BIG_INDEX} THEN 20 ELSE 2 END AS sizes
  FROM generate_series(1, ${LARGE_PRODUCT_COUNT}) AS i)`;

const STEPS: { what: string; sql: string }[] = [
  {
    what: 'categories',
    sql: `INSERT INTO categories (id, parent_id, handle, name, position)
      SELECT md5('category-' || r)::uuid, NULL, lower(name), name, r
      FROM unnest(${ROOT_CATEGORIES}) WITH ORDINALITY AS roots(name, r)
      UNION ALL
      SELECT md5('category-' || r || '-' || s)::uuid, md5('category-' || r)::uuid,
        lower(root) || '-' || lower(sub), sub || ' ' || root, s
      FROM unnest(${ROOT_CATEGORIES}) WITH ORDINALITY AS roots(root, r),
           unnest(${SUB_CATEGORIES}) WITH ORDINALITY AS subs(sub, s)`,
  },
  {
    what: 'products',
    sql: `${SHAPE}
      INSERT INTO products (id, handle, title, description, status, published_at, created_at, updated_at)
      SELECT product_id,
        CASE WHEN i = ${BIG_INDEX} THEN '${BIG_PRODUCT_HANDLE}' ELSE 'product-' || i END,
        CASE WHEN i = ${BIG_INDEX} THEN 'Big Variant Product' ELSE material || ' ' || object || ' No. ' || i END,
        'A ' || lower(material) || ' ' || lower(object) || ' made in small batches, finished by hand and '
          || 'shipped flat-packed in recycled cardboard.',
        'published', now() - i * interval '1 minute', now() - i * interval '1 minute', now()
      FROM shape, LATERAL (SELECT (${MATERIALS})[1 + i % 10] AS material,
                                  (${OBJECTS})[1 + (i / 10) % 12] AS object) AS words`,
  },
  {
    what: 'product categories',
    // Each product sits in one of the 15 leaf categories.
    sql: `${SHAPE}
      INSERT INTO product_categories (product_id, category_id, position)
      SELECT product_id, md5('category-' || (1 + (i % 15) / 3) || '-' || (1 + (i % 15) % 3))::uuid, 0
      FROM shape`,
  },
  {
    what: 'options',
    sql: `${SHAPE}
      INSERT INTO product_options (id, product_id, name, position)
      SELECT md5('option-' || i || '-' || o)::uuid, product_id, name, o
      FROM shape, (VALUES (0, 'Colour'), (1, 'Size')) AS opts(o, name)`,
  },
  {
    what: 'option values',
    sql: `${SHAPE}
      INSERT INTO product_option_values (id, option_id, value, position)
      SELECT md5('value-' || i || '-0-' || c)::uuid, md5('option-' || i || '-0')::uuid, (${COLOURS})[c], c
      FROM shape, generate_series(1, colours) AS c
      UNION ALL
      SELECT md5('value-' || i || '-1-' || z)::uuid, md5('option-' || i || '-1')::uuid, (${SIZES})[z], z
      FROM shape, generate_series(1, sizes) AS z`,
  },
  {
    what: 'variants',
    // Prices vary by product and size; every seventh product is on sale; some are out of stock.
    sql: `${SHAPE}
      INSERT INTO product_variants (id, product_id, sku, title, price_amount, currency, compare_at_amount,
        stock_on_hand, weight_grams, length_mm, width_mm, height_mm, position)
      SELECT md5('variant-' || i || '-' || c || '-' || z)::uuid, product_id,
        'SKU-' || i || '-' || c || '-' || z, (${COLOURS})[c] || ' / ' || (${SIZES})[z],
        price, 'EUR', CASE WHEN i % 7 = 0 THEN price + 1500 END,
        (i + c + z) % 6, 500 + z * 50, 400, 300, 200 + z * 10, (c - 1) * sizes + z - 1
      FROM shape, generate_series(1, colours) AS c, generate_series(1, sizes) AS z,
        LATERAL (SELECT 1000 + (i * 37) % 50000 + z * 500 AS price) AS p`,
  },
  {
    what: 'variant option values',
    sql: `${SHAPE}
      INSERT INTO variant_option_values (variant_id, option_value_id)
      SELECT md5('variant-' || i || '-' || c || '-' || z)::uuid,
        md5('value-' || i || '-' || o || '-' || CASE o WHEN 0 THEN c ELSE z END)::uuid
      FROM shape, generate_series(1, colours) AS c, generate_series(1, sizes) AS z,
        (VALUES (0), (1)) AS opts(o)`,
  },
  {
    what: 'images',
    // Storage keys have the content-hashed shape; no bytes exist behind them (nothing fetches them).
    sql: `${SHAPE}
      INSERT INTO product_media (product_id, kind, position, alt, storage_key, content_hash, mime_type,
        byte_size, width, height)
      SELECT product_id, 'image', n, 'Photo ' || n, 'assets/img/' || left(hash, 2) || '/' || hash || '.webp',
        hash, 'image/webp', 40000 + (i * 13 + n) % 80000, 1600, 1200
      FROM shape, generate_series(1, 2) AS n,
        LATERAL (SELECT encode(sha256(convert_to('bench-image-' || i || '-' || n, 'UTF8')), 'hex') AS hash) AS h`,
  },
];

export interface LargeCatalogCounts {
  products: number;
  variants: number;
  variantOptionValues: number;
  categories: number;
  images: number;
}

/** Fills an empty, migrated database; the rollup triggers are per statement, so bulk inserts are cheap. */
export async function generateLargeCatalog(
  db: Database,
  log: (line: string) => void,
): Promise<LargeCatalogCounts> {
  for (const step of STEPS) {
    const started = performance.now();
    await db.exec(step.sql);
    log(`  ${step.what.padEnd(22)} ${((performance.now() - started) / 1000).toFixed(2)} s`);
  }
  // Fresh tables have no statistics (the planner would guess), and the rollup triggers left a
  // dead version of every product row behind; a live shop's autovacuum would have cleared both.
  await db.exec('VACUUM ANALYZE');
  const [counts] = await rows<LargeCatalogCounts>(
    db,
    sql`SELECT
    (SELECT count(*)::int FROM products WHERE status = 'published') AS products,
    (SELECT count(*)::int FROM product_variants) AS variants,
    (SELECT count(*)::int FROM variant_option_values) AS "variantOptionValues",
    (SELECT count(*)::int FROM categories) AS categories,
    (SELECT count(*)::int FROM product_media WHERE kind = 'image') AS images`,
  );
  if (!counts) throw new Error('large catalog: counting rows returned nothing');
  return counts;
}
