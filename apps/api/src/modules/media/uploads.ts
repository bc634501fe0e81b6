import type { StorefrontRevalidation } from '@e3d/catalog';
import type { AdminMedia } from '@e3d/contracts';
import { type Database, rows, sql } from '@e3d/db';
import { enqueue } from '@e3d/jobs';
import { MEDIA_QUEUE, type MediaPipeline, mediaJobKey, removeUnreferenced } from '@e3d/media';
import type { ObjectStore } from '@e3d/storage';
import { AppError } from '../../errors.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import {
  grantUpload,
  type MediaKind,
  stagedUpload,
  type UploadLimits,
  type UploadRequest,
} from './grants.ts';
import { ADMIN_MEDIA_COLUMNS, type AdminMediaRow, MediaView } from './media-view.ts';
import { requireProduct, requireVariant } from './product-checks.ts';

export interface ConfirmUpload {
  kind: MediaKind;
  uploadKey: string;
  alt: string;
  variantId: string | null;
  position?: number | undefined;
}

/**
 * A media's file: grant a direct upload, confirm it (which queues processing), replace or
 * delete it. Processing itself happens in the worker (@e3d/media).
 */
export class MediaService {
  readonly view: MediaView;

  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly files: Pick<MediaPipeline, 'db' | 'store' | 'cdn'>,
    private readonly limits: UploadLimits,
    private readonly revalidation?: StorefrontRevalidation,
  ) {
    this.view = new MediaView(store);
  }

  async grantUpload(productId: string, request: UploadRequest) {
    await requireProduct(this.db, productId);
    return grantUpload(this.store, this.limits, request);
  }

  /** Confirms an upload landed and queues its processing; confirming twice is harmless. */
  async confirmUpload(
    ctx: AuditContext,
    productId: string,
    input: ConfirmUpload,
  ): Promise<{ media: AdminMedia; created: boolean }> {
    await requireProduct(this.db, productId);
    const [existing] = await rows<AdminMediaRow>(
      this.db,
      sql`SELECT ${ADMIN_MEDIA_COLUMNS} FROM product_media WHERE upload_key = ${input.uploadKey}`,
    );
    if (existing) {
      if (existing.product_id !== productId)
        throw new AppError(409, 'upload_in_use', 'This upload belongs to another product.');
      return { media: this.view.toAdmin(existing), created: false };
    }
    if (input.variantId) await requireVariant(this.db, productId, input.variantId, 'variantId');
    const staged = await stagedUpload(this.store, this.limits, input.kind, input.uploadKey);
    const row = await this.db.transaction(async (conn) => {
      const [media] = await rows<AdminMediaRow>(
        conn,
        sql`INSERT INTO product_media (product_id, variant_id, kind, status, position, alt, upload_key,
              upload_filename, upload_content_type)
            VALUES (${productId}, ${input.variantId}, ${input.kind}, 'uploaded',
              coalesce(${input.position ?? null},
                (SELECT coalesce(max(position) + 1, 0) FROM product_media WHERE product_id = ${productId})),
              ${input.alt}, ${input.uploadKey}, ${staged.filename}, ${staged.contentType})
            RETURNING ${ADMIN_MEDIA_COLUMNS}`,
      );
      if (!media) throw new Error('insert returned no row');
      await enqueue(conn, MEDIA_QUEUE, { mediaId: media.id }, { dedupeKey: mediaJobKey(media.id) });
      await recordAudit(conn, {
        ...ctx,
        action: 'media.confirm',
        entityType: 'media',
        entityId: media.id,
        before: null,
        after: this.view.toAdmin(media),
      });
      return media;
    });
    return { media: this.view.toAdmin(row), created: true };
  }

  get(mediaId: string): Promise<AdminMedia> {
    return this.view.get(this.db, mediaId);
  }

  async listForProduct(productId: string): Promise<AdminMedia[]> {
    await requireProduct(this.db, productId);
    return this.view.listForProduct(this.db, productId);
  }

  /** A new file for the same media: it is processed, then swapped in; the old files go. */
  async replace(ctx: AuditContext, mediaId: string, newUploadKey: string): Promise<AdminMedia> {
    const current = await this.get(mediaId);
    const staged = await stagedUpload(this.store, this.limits, current.kind, newUploadKey);
    await this.db.transaction(async (conn) => {
      const [after] = await rows<AdminMediaRow>(
        conn,
        sql`UPDATE product_media SET status = 'uploaded', upload_key = ${newUploadKey},
              upload_filename = ${staged.filename}, upload_content_type = ${staged.contentType},
              failure_code = NULL, failure_message = NULL
            WHERE id = ${mediaId} RETURNING ${ADMIN_MEDIA_COLUMNS}`,
      );
      await enqueue(conn, MEDIA_QUEUE, { mediaId }, { dedupeKey: mediaJobKey(mediaId) });
      await recordAudit(conn, {
        ...ctx,
        action: 'media.replace',
        entityType: 'media',
        entityId: mediaId,
        before: current,
        after: after ? this.view.toAdmin(after) : null,
      });
    });
    return this.get(mediaId);
  }

  /** Deletes the media and every stored file no other media uses (and tells the CDN). */
  async delete(ctx: AuditContext, mediaId: string): Promise<void> {
    const row = await this.db.transaction(async (conn) => {
      const [deleted] = await rows<AdminMediaRow>(
        conn,
        sql`DELETE FROM product_media WHERE id = ${mediaId} RETURNING ${ADMIN_MEDIA_COLUMNS}`,
      );
      if (!deleted) throw AppError.notFound('media_not_found', `No media with id ${mediaId}`);
      await recordAudit(conn, {
        ...ctx,
        action: 'media.delete',
        entityType: 'media',
        entityId: mediaId,
        before: this.view.toAdmin(deleted),
        after: null,
      });
      await this.revalidation?.enqueueProduct(conn, deleted.product_id);
      return deleted;
    });
    const keys = [
      row.storage_key,
      row.original_key,
      ...(row.processing?.renditions?.map((r) => r.key) ?? []),
    ].filter((k): k is string => typeof k === 'string');
    await removeUnreferenced(this.files, keys);
    if (row.upload_key) await this.store.delete(row.upload_key);
  }
}
