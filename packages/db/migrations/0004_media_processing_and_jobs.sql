CREATE TYPE "public"."media_status" AS ENUM('uploaded', 'processing', 'ready', 'failed');--> statement-breakpoint
CREATE TYPE "public"."job_state" AS ENUM('queued', 'running', 'succeeded', 'dead');--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" "job_state" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "product_media" DROP CONSTRAINT "product_media_byte_size_positive";--> statement-breakpoint
ALTER TABLE "product_media" DROP CONSTRAINT "product_media_image_has_size";--> statement-breakpoint
ALTER TABLE "product_media" ALTER COLUMN "storage_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "product_media" ALTER COLUMN "content_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "product_media" ALTER COLUMN "mime_type" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "product_media" ALTER COLUMN "byte_size" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "status" "media_status" DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "original_key" text;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "original_byte_size" integer;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "upload_key" text;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "upload_filename" text;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "upload_content_type" text;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "processing" jsonb;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "failure_code" text;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "failure_message" text;--> statement-breakpoint
ALTER TABLE "product_media" ADD COLUMN "processed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("queue","run_at","id") WHERE "jobs"."state" = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_lease_idx" ON "jobs" USING btree ("locked_until") WHERE "jobs"."state" = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_live_dedupe_key" ON "jobs" USING btree ("queue","dedupe_key") WHERE "jobs"."state" IN ('queued', 'running') AND "jobs"."dedupe_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "product_media_status_idx" ON "product_media" USING btree ("status") WHERE "product_media"."status" <> 'ready';--> statement-breakpoint
ALTER TABLE "product_media" ADD CONSTRAINT "product_media_ready_is_complete" CHECK ("product_media"."status" <> 'ready' OR ("product_media"."storage_key" IS NOT NULL AND "product_media"."content_hash" IS NOT NULL AND "product_media"."mime_type" IS NOT NULL AND "product_media"."byte_size" > 0));--> statement-breakpoint
ALTER TABLE "product_media" ADD CONSTRAINT "product_media_failed_has_reason" CHECK ("product_media"."status" <> 'failed' OR "product_media"."failure_code" IS NOT NULL);--> statement-breakpoint
ALTER TABLE "product_media" ADD CONSTRAINT "product_media_image_has_size" CHECK ("product_media"."kind" <> 'image' OR "product_media"."status" <> 'ready' OR ("product_media"."width" > 0 AND "product_media"."height" > 0));