-- Every committed change to catalog data announces itself on the e3d_catalog channel, so
-- each API task drops its cached catalog responses whatever made the change (admin API,
-- import, seed, psql). NOTIFY is delivered at commit, never for a rolled-back write.

CREATE FUNCTION e3d_notify_catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('e3d_catalog', TG_TABLE_NAME);
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['products', 'product_options', 'product_option_values', 'product_variants',
    'variant_option_values', 'categories', 'product_categories', 'collections', 'collection_products',
    'product_media']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION e3d_notify_catalog_changed()', t || '_notify_change', t);
  END LOOP;
END $$;
