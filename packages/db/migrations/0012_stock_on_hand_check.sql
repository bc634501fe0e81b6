-- stock_on_hand may go below zero only on a variant that takes backorders. Rows the old schema
-- let through (oversold, or backorders turned off after selling ahead) are clamped to 0: the
-- units owed are in the orders already, and 0 is what the shop can sell now. Each clamp is
-- written to the audit log so the owner can see what this migration changed.
-- The table lock comes first so the update cannot deadlock with a checkout's row locks when
-- ADD CONSTRAINT then needs the whole table.
LOCK TABLE "product_variants" IN ACCESS EXCLUSIVE MODE;--> statement-breakpoint
INSERT INTO "audit_log" ("staff_id", "staff_email", "action", "entity_type", "entity_id", "before", "after")
SELECT NULL, '', 'variant.stock_clamped', 'variant', "id"::text,
  jsonb_build_object('sku', "sku", 'stock', "stock_on_hand"),
  jsonb_build_object('sku', "sku", 'stock', 0, 'reason', 'migration 0012: stock below zero without backorders')
FROM "product_variants" WHERE "stock_on_hand" < 0 AND NOT "allow_backorder";--> statement-breakpoint
UPDATE "product_variants" SET "stock_on_hand" = 0, "updated_at" = now()
WHERE "stock_on_hand" < 0 AND NOT "allow_backorder";--> statement-breakpoint
ALTER TABLE "product_variants" ADD CONSTRAINT "product_variants_stock_nonnegative" CHECK ("product_variants"."stock_on_hand" >= 0 OR "product_variants"."allow_backorder");
