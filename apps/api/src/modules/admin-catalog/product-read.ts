import type { AdminProduct, AdminProductListQuery, AdminProductSummary, AdminVariant } from '@e3d/contracts';
import { iso, type Queryable, rows, type SQL, sql } from '@e3d/db';
import { decodeCursor, encodeCursor } from '../catalog/cursor.ts';
import { categorySubtree } from '../catalog/queries.ts';

const money = (amount: SQL, currency: SQL) =>
  sql`CASE WHEN ${amount} IS NULL THEN NULL ELSE json_build_object('amount', ${amount}, 'currency', ${currency}) END`;

/** One variant as the admin sees it (`pv` is the variant row). */
const variantJson = sql`json_build_object(
  'id', pv.id,
  'sku', pv.sku,
  'title', pv.title,
  'options', coalesce((
    SELECT json_object_agg(o.name, ov.value ORDER BY o.position, o.name)
    FROM variant_option_values vov
    JOIN product_option_values ov ON ov.id = vov.option_value_id
    JOIN product_options o ON o.id = ov.option_id
    WHERE vov.variant_id = pv.id), '{}'),
  'price', json_build_object('amount', pv.price_amount, 'currency', pv.currency),
  'compareAtPrice', ${money(sql`pv.compare_at_amount`, sql`pv.currency`)},
  'stock', pv.stock_on_hand,
  'allowBackorder', pv.allow_backorder,
  'weightGrams', pv.weight_grams,
  'dimensionsMm', CASE WHEN pv.length_mm IS NULL OR pv.width_mm IS NULL OR pv.height_mm IS NULL THEN NULL
    ELSE json_build_object('length', pv.length_mm, 'width', pv.width_mm, 'height', pv.height_mm) END,
  'position', pv.position,
  'updatedAt', ${iso(sql`pv.updated_at`)})`;

const priceRange = sql`CASE WHEN p.price_min IS NULL OR p.currency IS NULL THEN NULL ELSE json_build_object(
  'min', json_build_object('amount', p.price_min, 'currency', p.currency),
  'max', json_build_object('amount', p.price_max, 'currency', p.currency)) END`;

/** The whole product for the editor (and for audit before/after), as one JSON document. */
export async function readAdminProduct(conn: Queryable, productId: string): Promise<AdminProduct | null> {
  const [row] = await rows<{ doc: AdminProduct }>(
    conn,
    sql`SELECT json_build_object(
      'id', p.id,
      'handle', p.handle,
      'title', p.title,
      'description', p.description,
      'status', p.status,
      'seo', json_build_object('title', p.seo_title, 'description', p.seo_description),
      'version', p.version,
      'priceRange', ${priceRange},
      'inStock', p.in_stock,
      'has3d', p.has_3d,
      'options', coalesce((
        SELECT json_agg(json_build_object('id', o.id, 'name', o.name, 'position', o.position, 'values', (
          SELECT coalesce(json_agg(json_build_object('id', v.id, 'value', v.value, 'position', v.position)
            ORDER BY v.position, v.value), '[]')
          FROM product_option_values v WHERE v.option_id = o.id)) ORDER BY o.position, o.name)
        FROM product_options o WHERE o.product_id = p.id), '[]'),
      'variants', coalesce((
        SELECT json_agg(${variantJson} ORDER BY pv.position, pv.sku)
        FROM product_variants pv WHERE pv.product_id = p.id), '[]'),
      'categories', coalesce((
        SELECT json_agg(json_build_object('id', c.id, 'handle', c.handle, 'name', c.name)
          ORDER BY pc.position, c.handle)
        FROM product_categories pc JOIN categories c ON c.id = pc.category_id WHERE pc.product_id = p.id), '[]'),
      'collections', coalesce((
        SELECT json_agg(json_build_object('id', c.id, 'handle', c.handle, 'name', c.title)
          ORDER BY c.position, c.handle)
        FROM collection_products cp JOIN collections c ON c.id = cp.collection_id WHERE cp.product_id = p.id), '[]'),
      'publishedAt', ${iso(sql`p.published_at`)},
      'createdAt', ${iso(sql`p.created_at`)},
      'updatedAt', ${iso(sql`p.updated_at`)}
    ) AS doc FROM products p WHERE p.id = ${productId}`,
  );
  return row?.doc ?? null;
}

export async function readAdminVariant(conn: Queryable, variantId: string): Promise<AdminVariant | null> {
  const [row] = await rows<{ doc: AdminVariant }>(
    conn,
    sql`SELECT ${variantJson} AS doc FROM product_variants pv WHERE pv.id = ${variantId}`,
  );
  return row?.doc ?? null;
}

type Sort = AdminProductListQuery['sort'];

const SORTS: Record<Sort, { order: SQL; after: (key: string | number, id: string) => SQL; key: SQL }> = {
  updated: {
    order: sql`p.updated_at DESC, p.id DESC`,
    after: (key, id) => sql`(p.updated_at, p.id) < (${key}::timestamptz, ${id}::uuid)`,
    key: sql`p.updated_at::text`,
  },
  created: {
    order: sql`p.created_at DESC, p.id DESC`,
    after: (key, id) => sql`(p.created_at, p.id) < (${key}::timestamptz, ${id}::uuid)`,
    key: sql`p.created_at::text`,
  },
  title: {
    order: sql`p.title ASC, p.id ASC`,
    after: (key, id) => sql`(p.title, p.id) > (${key}::text, ${id}::uuid)`,
    key: sql`p.title`,
  },
};

/** Every product whatever its status, searchable by title, handle or SKU, keyset-paginated. */
export async function listAdminProducts(
  conn: Queryable,
  query: AdminProductListQuery,
  assetBaseUrl: string,
): Promise<{ items: AdminProductSummary[]; nextCursor: string | null }> {
  const where: SQL[] = [sql`true`];
  if (query.status) where.push(sql`p.status = ${query.status}`);
  if (query.has3d !== undefined) where.push(sql`p.has_3d = ${query.has3d}`);
  if (query.inStock !== undefined) where.push(sql`p.in_stock = ${query.inStock}`);
  if (query.categoryId) {
    where.push(sql`EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id
      AND pc.category_id IN (${categorySubtree(query.categoryId)}))`);
  }
  if (query.collectionId) {
    where.push(sql`EXISTS (SELECT 1 FROM collection_products cp WHERE cp.product_id = p.id
      AND cp.collection_id = ${query.collectionId})`);
  }
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(sql`(p.search @@ websearch_to_tsquery('english', ${query.q})
      OR p.title ILIKE ${like} OR p.handle ILIKE ${like}
      OR EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.sku ILIKE ${like}))`);
  }
  const spec = SORTS[query.sort];
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor, `admin-${query.sort}`);
    if ('key' in cursor) where.push(spec.after(cursor.key, cursor.id));
  }
  const found = await rows<{ doc: AdminProductSummary; sort_key: string }>(
    conn,
    sql`SELECT json_build_object(
        'id', p.id,
        'handle', p.handle,
        'title', p.title,
        'status', p.status,
        'version', p.version,
        'priceRange', ${priceRange},
        'inStock', p.in_stock,
        'has3d', p.has_3d,
        'variantCount', (SELECT count(*)::int FROM product_variants v WHERE v.product_id = p.id),
        'thumbnailUrl', (SELECT ${assetBaseUrl} || '/' || m.storage_key FROM product_media m
          WHERE m.product_id = p.id AND m.kind = 'image' AND m.status = 'ready'
          ORDER BY (m.variant_id IS NOT NULL), m.position, m.id LIMIT 1),
        'publishedAt', ${iso(sql`p.published_at`)},
        'updatedAt', ${iso(sql`p.updated_at`)}
      ) AS doc, ${spec.key} AS sort_key
      FROM products p WHERE ${sql.join(where, sql` AND `)}
      ORDER BY ${spec.order} LIMIT ${query.limit + 1}`,
  );
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    found.length > query.limit && last
      ? encodeCursor({ sort: `admin-${query.sort}`, key: last.sort_key, id: last.doc.id })
      : null;
  return { items: page.map((r) => r.doc), nextCursor };
}
