import { type SQL, sql } from '@e3d/db';

/**
 * The whole product page payload (`ProductDetail` in @e3d/contracts) built by Postgres as
 * one JSON document in one round trip. A product with 500 variants is where commerce APIs
 * slow down: this way there are no per-variant queries, no row-to-object mapping in Node
 * and no re-serialisation — the text goes to the cache and the client as it is.
 * The contract tests parse every response with the zod schema, so a drift fails there.
 */
const isoTime = (column: SQL) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const productDocumentQuery = (handle: string, assetBaseUrl: string) => sql`
  WITH p AS (
    SELECT * FROM products WHERE handle = ${handle} AND status = 'published'
  ), option_values AS MATERIALIZED (
    SELECT ov.id, o.name, o.position, ov.value FROM product_options o
    JOIN p ON o.product_id = p.id
    JOIN product_option_values ov ON ov.option_id = o.id
  ), variant_options AS (
    -- From the product's few option values to their variants (index on option_value_id):
    -- far cheaper than three lookups per variant when a product has hundreds.
    SELECT vov.variant_id, json_object_agg(v.name, v.value ORDER BY v.position, v.name) AS options
    FROM option_values v JOIN variant_option_values vov ON vov.option_value_id = v.id
    GROUP BY vov.variant_id
  ), primary_category AS (
    SELECT c.id, c.parent_id, c.handle, c.name FROM product_categories pc
    JOIN p ON pc.product_id = p.id
    JOIN categories c ON c.id = pc.category_id
    ORDER BY pc.position, c.handle LIMIT 1
  ), breadcrumb AS (
    WITH RECURSIVE path AS (
      SELECT id, parent_id, handle, name, 0 AS depth FROM primary_category
      UNION ALL
      SELECT c.id, c.parent_id, c.handle, c.name, path.depth + 1 FROM categories c JOIN path ON c.id = path.parent_id
    ) SELECT id, handle, name, depth FROM path
  )
  SELECT json_build_object(
    'id', p.id,
    'handle', p.handle,
    'title', p.title,
    'description', p.description,
    'seo', json_build_object(
      'title', coalesce(p.seo_title, p.title),
      'description', coalesce(p.seo_description, left(p.description, 160))),
    'priceRange', CASE WHEN p.price_min IS NULL OR p.currency IS NULL THEN NULL ELSE json_build_object(
      'min', json_build_object('amount', p.price_min, 'currency', p.currency),
      'max', json_build_object('amount', p.price_max, 'currency', p.currency)) END,
    'available', p.in_stock,
    'has3d', p.has_3d,
    'options', coalesce((
      SELECT json_agg(json_build_object('name', o.name, 'values', (
        SELECT coalesce(json_agg(v.value ORDER BY v.position, v.value), '[]') FROM product_option_values v
        WHERE v.option_id = o.id)) ORDER BY o.position, o.name)
      FROM product_options o WHERE o.product_id = p.id), '[]'),
    'variants', coalesce((
      SELECT json_agg(json_build_object(
        'id', pv.id,
        'sku', pv.sku,
        'title', pv.title,
        'options', coalesce(vo.options, '{}'),
        'price', json_build_object('amount', pv.price_amount, 'currency', pv.currency),
        'compareAtPrice', CASE WHEN pv.compare_at_amount IS NULL THEN NULL
          ELSE json_build_object('amount', pv.compare_at_amount, 'currency', pv.currency) END,
        'available', pv.stock_on_hand > 0 OR pv.allow_backorder,
        'weightGrams', pv.weight_grams,
        'dimensionsMm', CASE WHEN pv.length_mm IS NULL OR pv.width_mm IS NULL OR pv.height_mm IS NULL THEN NULL
          ELSE json_build_object('length', pv.length_mm, 'width', pv.width_mm, 'height', pv.height_mm) END
      ) ORDER BY pv.position, pv.sku)
      FROM product_variants pv LEFT JOIN variant_options vo ON vo.variant_id = pv.id
      WHERE pv.product_id = p.id), '[]'),
    'images', coalesce((
      SELECT json_agg(json_build_object(
        'id', m.id,
        'url', ${assetBaseUrl} || '/' || m.storage_key,
        'alt', m.alt,
        'width', coalesce(m.width, 0),
        'height', coalesce(m.height, 0),
        'variantId', m.variant_id,
        'sources', coalesce((
          SELECT json_agg(json_build_object(
            'url', ${assetBaseUrl} || '/' || (r->>'key'),
            'width', (r->>'width')::int,
            'type', r->>'mimeType') ORDER BY (r->>'width')::int, r->>'mimeType')
          FROM jsonb_array_elements(m.processing->'renditions') r), '[]')
      ) ORDER BY m.position, m.id)
      FROM product_media m WHERE m.product_id = p.id AND m.kind = 'image' AND m.status = 'ready'), '[]'),
    'models', coalesce((
      SELECT json_agg(json_build_object(
        'id', m.id,
        'url', ${assetBaseUrl} || '/' || m.storage_key,
        'alt', m.alt,
        'contentType', m.mime_type,
        'byteSize', m.byte_size,
        'variantId', m.variant_id,
        'attribution', m.attribution,
        'stats', CASE WHEN m.model_stats IS NULL THEN NULL ELSE json_build_object(
          'triangles', (m.model_stats->>'triangles')::int,
          'vertices', (m.model_stats->>'vertices')::int,
          'sizeMetres', m.model_stats->'sizeMetres',
          'materialVariants', coalesce(m.model_stats->'materialVariants', '[]')) END,
        'variantMaterials', coalesce((
          SELECT json_object_agg(l.variant_id, l.material_variant ORDER BY l.variant_id)
          FROM media_material_variants l WHERE l.media_id = m.id), '{}'),
        -- Only a poster the shopper can see: a ready image (so one of 'images' above).
        'posterImageId', (
          SELECT pm.id FROM product_media pm
          WHERE pm.id = m.poster_media_id AND pm.kind = 'image' AND pm.status = 'ready')
      ) ORDER BY m.position, m.id)
      FROM product_media m WHERE m.product_id = p.id AND m.kind = 'model' AND m.status = 'ready'), '[]'),
    'breadcrumb', coalesce((
      SELECT json_agg(json_build_object('id', b.id, 'handle', b.handle, 'name', b.name) ORDER BY b.depth DESC)
      FROM breadcrumb b), '[]'),
    'collections', coalesce((
      SELECT json_agg(json_build_object('handle', c.handle, 'title', c.title) ORDER BY c.position, c.handle)
      FROM collection_products cp JOIN collections c ON c.id = cp.collection_id WHERE cp.product_id = p.id), '[]'),
    'publishedAt', ${isoTime(sql`p.published_at`)},
    'updatedAt', ${isoTime(sql`p.updated_at`)}
  )::text AS document
  FROM p`;
