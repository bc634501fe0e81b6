CREATE TABLE "media_material_variants" (
	"media_id" uuid NOT NULL,
	"variant_id" uuid NOT NULL,
	"material_variant" text NOT NULL,
	CONSTRAINT "media_material_variants_media_id_variant_id_pk" PRIMARY KEY("media_id","variant_id")
);
--> statement-breakpoint
ALTER TABLE "media_material_variants" ADD CONSTRAINT "media_material_variants_media_id_product_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."product_media"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "media_material_variants" ADD CONSTRAINT "media_material_variants_variant_id_product_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."product_variants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "media_material_variants_variant_idx" ON "media_material_variants" USING btree ("variant_id");--> statement-breakpoint
-- Like every catalog table (migration 0003): a committed change invalidates the API caches.
CREATE TRIGGER media_material_variants_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
  ON media_material_variants FOR EACH STATEMENT EXECUTE FUNCTION e3d_notify_catalog_changed();
