import type { Orm } from '@e3d/db';
import { type SQL, sql } from 'drizzle-orm';

/** Runs a query built with drizzle's `sql` template; both drivers answer `{ rows }`. */
export async function rows<T>(orm: Orm, query: SQL): Promise<T[]> {
  const result = (await orm.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export interface SummaryRow {
  id: string;
  handle: string;
  title: string;
  price_min: number | null;
  price_max: number | null;
  currency: string | null;
  in_stock: boolean;
  has_3d: boolean;
  compare_at: number | null;
  created_key: string;
  thumb_id: string | null;
  thumb_key: string | null;
  thumb_alt: string | null;
  thumb_width: number | null;
  thumb_height: number | null;
  thumb_variant_id: string | null;
}

/** Columns of a product card; the caller adds FROM products p … and its conditions. */
export const summaryColumns = sql`
  p.id, p.handle, p.title, p.price_min, p.price_max, p.currency, p.in_stock, p.has_3d,
  p.created_at::text AS created_key,
  (SELECT max(v.compare_at_amount) FROM product_variants v
     WHERE v.product_id = p.id AND v.compare_at_amount > v.price_amount) AS compare_at,
  t.id AS thumb_id, t.storage_key AS thumb_key, t.alt AS thumb_alt,
  t.width AS thumb_width, t.height AS thumb_height, t.variant_id AS thumb_variant_id`;

/** The product's first image, preferring one shared by all variants. */
export const thumbnailJoin = sql`
  LEFT JOIN LATERAL (
    SELECT m.id, m.storage_key, m.alt, m.width, m.height, m.variant_id FROM product_media m
    WHERE m.product_id = p.id AND m.kind = 'image'
    ORDER BY (m.variant_id IS NOT NULL), m.position, m.id LIMIT 1
  ) t ON true`;

/** Ids of a category and all its descendants. */
export const categorySubtree = (rootId: string) => sql`
  WITH RECURSIVE subtree AS (
    SELECT id FROM categories WHERE id = ${rootId}
    UNION ALL
    SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id
  ) SELECT id FROM subtree`;

export interface DetailRow {
  id: string;
  handle: string;
  title: string;
  description: string;
  seo_title: string | null;
  seo_description: string | null;
  price_min: number | null;
  price_max: number | null;
  currency: string | null;
  in_stock: boolean;
  has_3d: boolean;
  published_at: string | null;
  updated_at: string;
}

export const productByHandle = (handle: string) => sql`
  SELECT id, handle, title, description, seo_title, seo_description, price_min, price_max,
         currency, in_stock, has_3d, published_at, updated_at
  FROM products WHERE handle = ${handle} AND status = 'published'`;

export interface OptionRow {
  option_id: string;
  name: string;
  value: string;
}

export const productOptionsQuery = (productId: string) => sql`
  SELECT o.id AS option_id, o.name, v.value FROM product_options o
  JOIN product_option_values v ON v.option_id = o.id
  WHERE o.product_id = ${productId}
  ORDER BY o.position, o.name, v.position, v.value`;

export interface VariantRow {
  id: string;
  sku: string;
  title: string;
  price_amount: number;
  currency: string;
  compare_at_amount: number | null;
  available: boolean;
  weight_grams: number | null;
  length_mm: number | null;
  width_mm: number | null;
  height_mm: number | null;
  option_values: [string, string][] | null;
}

export const productVariantsQuery = (productId: string) => sql`
  SELECT pv.id, pv.sku, pv.title, pv.price_amount, pv.currency, pv.compare_at_amount,
         (pv.stock_on_hand > 0 OR pv.allow_backorder) AS available,
         pv.weight_grams, pv.length_mm, pv.width_mm, pv.height_mm,
         (SELECT json_agg(json_build_array(o.name, ov.value) ORDER BY o.position)
            FROM variant_option_values vov
            JOIN product_option_values ov ON ov.id = vov.option_value_id
            JOIN product_options o ON o.id = ov.option_id
           WHERE vov.variant_id = pv.id) AS option_values
  FROM product_variants pv WHERE pv.product_id = ${productId}
  ORDER BY pv.position, pv.sku`;

export interface MediaRow {
  id: string;
  kind: 'image' | 'model';
  variant_id: string | null;
  alt: string;
  storage_key: string;
  mime_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  model_stats: {
    triangles: number;
    vertices: number;
    sizeMetres: [number, number, number];
    materialVariants?: string[];
  } | null;
  attribution: string | null;
}

export const productMediaQuery = (productId: string) => sql`
  SELECT id, kind, variant_id, alt, storage_key, mime_type, byte_size, width, height, model_stats, attribution
  FROM product_media WHERE product_id = ${productId} ORDER BY position, id`;

export const breadcrumbQuery = (productId: string) => sql`
  WITH RECURSIVE primary_category AS (
    SELECT c.id, c.parent_id, c.handle, c.name FROM product_categories pc
    JOIN categories c ON c.id = pc.category_id
    WHERE pc.product_id = ${productId} ORDER BY pc.position, c.handle LIMIT 1
  ), path AS (
    SELECT id, parent_id, handle, name, 0 AS depth FROM primary_category
    UNION ALL
    SELECT c.id, c.parent_id, c.handle, c.name, path.depth + 1 FROM categories c JOIN path ON c.id = path.parent_id
  ) SELECT id, handle, name FROM path ORDER BY depth DESC`;

export const productCollectionsQuery = (productId: string) => sql`
  SELECT c.handle, c.title FROM collection_products cp JOIN collections c ON c.id = cp.collection_id
  WHERE cp.product_id = ${productId} ORDER BY c.position, c.handle`;

export interface CategoryRow {
  id: string;
  parent_id: string | null;
  handle: string;
  name: string;
  description: string;
  product_count: number;
}

/** Every category with the number of distinct published products in its subtree. */
export const categoryTreeQuery = sql`
  WITH RECURSIVE closure AS (
    SELECT id AS ancestor, id AS descendant FROM categories
    UNION ALL
    SELECT cl.ancestor, c.id FROM closure cl JOIN categories c ON c.parent_id = cl.descendant
  ), counts AS (
    SELECT cl.ancestor, count(DISTINCT pc.product_id)::int AS product_count FROM closure cl
    JOIN product_categories pc ON pc.category_id = cl.descendant
    JOIN products p ON p.id = pc.product_id AND p.status = 'published'
    GROUP BY cl.ancestor
  )
  SELECT c.id, c.parent_id, c.handle, c.name, c.description, coalesce(n.product_count, 0) AS product_count
  FROM categories c LEFT JOIN counts n ON n.ancestor = c.id
  ORDER BY c.position, c.name`;

export interface CollectionRow {
  id: string;
  handle: string;
  title: string;
  description: string;
  featured: boolean;
  product_count: number;
}

export const collectionsQuery = (handle?: string) => sql`
  SELECT c.id, c.handle, c.title, c.description, c.featured,
    (SELECT count(*)::int FROM collection_products cp JOIN products p ON p.id = cp.product_id
      WHERE cp.collection_id = c.id AND p.status = 'published') AS product_count
  FROM collections c
  ${handle === undefined ? sql`` : sql`WHERE c.handle = ${handle}`}
  ORDER BY c.featured DESC, c.position, c.title`;
