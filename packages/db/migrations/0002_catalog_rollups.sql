-- Listing, filtering and sorting by price read one row per product. These rollups are kept
-- by statement-level triggers, so every write path (admin API, import, seed, plain SQL)
-- keeps them true, and a bulk insert recomputes each product once, not once per row.

CREATE FUNCTION e3d_refresh_product_rollups(product_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE products p SET
    price_min = v.price_min,
    price_max = v.price_max,
    currency = v.currency,
    in_stock = coalesce(v.in_stock, false),
    has_3d = EXISTS (SELECT 1 FROM product_media m WHERE m.product_id = p.id AND m.kind = 'model')
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
--> statement-breakpoint
CREATE FUNCTION e3d_rollups_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM e3d_refresh_product_rollups(ARRAY(SELECT DISTINCT product_id FROM new_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION e3d_rollups_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM e3d_refresh_product_rollups(ARRAY(
    SELECT product_id FROM new_rows UNION SELECT product_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION e3d_rollups_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM e3d_refresh_product_rollups(ARRAY(SELECT DISTINCT product_id FROM old_rows));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER product_variants_rollup_insert AFTER INSERT ON product_variants
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION e3d_rollups_after_insert();
--> statement-breakpoint
CREATE TRIGGER product_variants_rollup_update AFTER UPDATE ON product_variants
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION e3d_rollups_after_update();
--> statement-breakpoint
CREATE TRIGGER product_variants_rollup_delete AFTER DELETE ON product_variants
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION e3d_rollups_after_delete();
--> statement-breakpoint
CREATE TRIGGER product_media_rollup_insert AFTER INSERT ON product_media
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION e3d_rollups_after_insert();
--> statement-breakpoint
CREATE TRIGGER product_media_rollup_update AFTER UPDATE ON product_media
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION e3d_rollups_after_update();
--> statement-breakpoint
CREATE TRIGGER product_media_rollup_delete AFTER DELETE ON product_media
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION e3d_rollups_after_delete();
--> statement-breakpoint
CREATE FUNCTION e3d_set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at = now();
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER products_updated_at BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER product_variants_updated_at BEFORE UPDATE ON product_variants FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER categories_updated_at BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER collections_updated_at BEFORE UPDATE ON collections FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER product_media_updated_at BEFORE UPDATE ON product_media FOR EACH ROW EXECUTE FUNCTION e3d_set_updated_at();
