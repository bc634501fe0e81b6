-- Media now has a processing state: only ready models make a product "has 3D".
CREATE OR REPLACE FUNCTION e3d_refresh_product_rollups(product_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE products p SET
    price_min = v.price_min,
    price_max = v.price_max,
    currency = v.currency,
    in_stock = coalesce(v.in_stock, false),
    has_3d = EXISTS (
      SELECT 1 FROM product_media m WHERE m.product_id = p.id AND m.kind = 'model' AND m.status = 'ready')
  FROM (
    SELECT ids.id,
      min(pv.price_amount) AS price_min,
      max(pv.price_amount) AS price_max,
      min(pv.currency) AS currency,
      bool_or(pv.stock_on_hand > 0 OR pv.allow_backorder) AS in_stock
    FROM unnest(product_ids) AS ids(id)
    LEFT JOIN product_variants pv ON pv.product_id = ids.id
    GROUP BY ids.id
  ) v
  WHERE p.id = v.id;
$$;
