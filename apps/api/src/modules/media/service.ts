import {
  MEDIA_QUEUE,
  type MediaPipeline,
  mediaJobKey,
  removeUnreferenced,
  type StorefrontRevalidation,
} from '@e3d/catalog';
import type { AdminMedia } from '@e3d/contracts';
import type { Database, MediaProcessing, ModelStats } from '@e3d/db';
import { enqueue } from '@e3d/jobs';
import { type ObjectStore, uploadKey } from '@e3d/storage';
import { AppError } from '../../errors.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';

interface MediaRow {
  id: string;
  product_id: string;
  variant_id: string | null;
  kind: 'image' | 'model';
  status: AdminMedia['status'];
  position: number;
  alt: string;
  storage_key: string | null;
  original_key: string | null;
  mime_type: string | null;
  byte_size: number | null;
  original_byte_size: number | null;
  width: number | null;
  height: number | null;
  model_stats: ModelStats | null;
  processing: MediaProcessing | null;
  failure_code: string | null;
  failure_message: string | null;
  attribution: string | null;
  poster_media_id: string | null;
  created_at: Date;
  processed_at: Date | null;
}

const COLUMNS = `id, product_id, upload_key, variant_id, kind, status, position, alt, storage_key, original_key, mime_type,
  byte_size, original_byte_size, width, height, model_stats, processing, failure_code, failure_message,
  attribution, poster_media_id, created_at, processed_at`;

/** Direct uploads are granted for 15 minutes; the file must arrive within that. */
const UPLOAD_GRANT_SECONDS = 15 * 60;

export interface MediaLimits {
  image: number;
  model: number;
}

/**
 * Staff media: grant a direct upload, confirm it (which queues processing), watch it,
 * replace or delete it. Processing itself happens in the worker (packages/catalog).
 */
export class MediaService {
  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly pipeline: Pick<MediaPipeline, 'db' | 'store' | 'cdn'>,
    private readonly maxBytes: MediaLimits,
    private readonly revalidation?: StorefrontRevalidation,
  ) {}

  async grantUpload(
    productId: string,
    request: { kind: 'image' | 'model'; filename: string; contentType: string; byteSize: number },
  ) {
    await this.requireProduct(productId);
    const limit = this.maxBytes[request.kind];
    if (request.byteSize > limit) {
      throw new AppError(
        413,
        'upload_too_large',
        `A ${request.kind} may be at most ${limit} bytes; this one is ${request.byteSize}.`,
        [{ field: 'byteSize', message: `must be at most ${limit}` }],
      );
    }
    const key = uploadKey(request.filename);
    const upload = await this.store.createUpload({
      key,
      contentType: request.contentType,
      maxBytes: request.byteSize,
      expiresInSeconds: UPLOAD_GRANT_SECONDS,
    });
    return { uploadKey: key, maxBytes: request.byteSize, upload };
  }

  /** Confirms an upload landed and queues its processing; confirming twice is harmless. */
  async confirmUpload(
    ctx: AuditContext,
    productId: string,
    input: {
      kind: 'image' | 'model';
      uploadKey: string;
      alt: string;
      variantId: string | null;
      position?: number | undefined;
    },
  ): Promise<{ media: AdminMedia; created: boolean }> {
    await this.requireProduct(productId);
    const [existing] = await this.db.query<MediaRow>(
      `SELECT ${COLUMNS} FROM product_media WHERE upload_key = $1`,
      [input.uploadKey],
    );
    if (existing) {
      if (existing.product_id !== productId)
        throw new AppError(409, 'upload_in_use', 'This upload belongs to another product.');
      return { media: this.toAdmin(existing), created: false };
    }
    if (input.variantId) await this.requireVariant(productId, input.variantId);
    const staged = await this.store.head(input.uploadKey);
    if (!staged) {
      throw new AppError(
        409,
        'upload_missing',
        'Nothing was uploaded under this key, or the upload expired. Request a new upload.',
      );
    }
    const limit = this.maxBytes[input.kind];
    if (staged.byteSize > limit) {
      await this.store.delete(input.uploadKey);
      throw new AppError(413, 'upload_too_large', `A ${input.kind} may be at most ${limit} bytes.`);
    }
    const filename = input.uploadKey.slice(input.uploadKey.lastIndexOf('/') + 1);
    const row = await this.db.transaction(async (conn) => {
      const [media] = await conn.query<MediaRow>(
        `INSERT INTO product_media (product_id, variant_id, kind, status, position, alt, upload_key, upload_filename, upload_content_type)
         VALUES ($1, $2, $3, 'uploaded',
           coalesce($4, (SELECT coalesce(max(position) + 1, 0) FROM product_media WHERE product_id = $1)),
           $5, $6, $7, $8)
         RETURNING ${COLUMNS}`,
        [
          productId,
          input.variantId,
          input.kind,
          input.position ?? null,
          input.alt,
          input.uploadKey,
          filename,
          staged.contentType,
        ],
      );
      if (!media) throw new Error('insert returned no row');
      await enqueue(conn, MEDIA_QUEUE, { mediaId: media.id }, { dedupeKey: mediaJobKey(media.id) });
      await recordAudit(conn, {
        ...ctx,
        action: 'media.confirm',
        entityType: 'media',
        entityId: media.id,
        before: null,
        after: this.toAdmin(media),
      });
      return media;
    });
    return { media: this.toAdmin(row), created: true };
  }

  async get(mediaId: string): Promise<AdminMedia> {
    const [row] = await this.db.query<MediaRow>(`SELECT ${COLUMNS} FROM product_media WHERE id = $1`, [
      mediaId,
    ]);
    if (!row) throw AppError.notFound('media_not_found', `No media with id ${mediaId}`);
    return this.toAdmin(row);
  }

  async listForProduct(productId: string): Promise<AdminMedia[]> {
    await this.requireProduct(productId);
    const rows = await this.db.query<MediaRow>(
      `SELECT ${COLUMNS} FROM product_media WHERE product_id = $1 ORDER BY position, created_at`,
      [productId],
    );
    return rows.map((r) => this.toAdmin(r));
  }

  /** A new file for the same media: it is processed, then swapped in; the old files go. */
  async replace(ctx: AuditContext, mediaId: string, newUploadKey: string): Promise<AdminMedia> {
    const current = await this.get(mediaId);
    const staged = await this.store.head(newUploadKey);
    if (!staged)
      throw new AppError(
        409,
        'upload_missing',
        'Nothing was uploaded under this key, or the upload expired.',
      );
    if (staged.byteSize > this.maxBytes[current.kind]) {
      await this.store.delete(newUploadKey);
      throw new AppError(
        413,
        'upload_too_large',
        `A ${current.kind} may be at most ${this.maxBytes[current.kind]} bytes.`,
      );
    }
    const filename = newUploadKey.slice(newUploadKey.lastIndexOf('/') + 1);
    await this.db.transaction(async (conn) => {
      const [after] = await conn.query<MediaRow>(
        `UPDATE product_media SET status = 'uploaded', upload_key = $2, upload_filename = $3, upload_content_type = $4,
           failure_code = NULL, failure_message = NULL WHERE id = $1 RETURNING ${COLUMNS}`,
        [mediaId, newUploadKey, filename, staged.contentType],
      );
      await enqueue(conn, MEDIA_QUEUE, { mediaId }, { dedupeKey: mediaJobKey(mediaId) });
      await recordAudit(conn, {
        ...ctx,
        action: 'media.replace',
        entityType: 'media',
        entityId: mediaId,
        before: current,
        after: after ? this.toAdmin(after) : null,
      });
    });
    return this.get(mediaId);
  }

  /** Deletes the media and every stored file no other media uses (and tells the CDN). */
  async delete(ctx: AuditContext, mediaId: string): Promise<void> {
    const row = await this.db.transaction(async (conn) => {
      const [deleted] = await conn.query<MediaRow>(
        `DELETE FROM product_media WHERE id = $1 RETURNING ${COLUMNS}`,
        [mediaId],
      );
      if (!deleted) throw AppError.notFound('media_not_found', `No media with id ${mediaId}`);
      await recordAudit(conn, {
        ...ctx,
        action: 'media.delete',
        entityType: 'media',
        entityId: mediaId,
        before: this.toAdmin(deleted),
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
    await removeUnreferenced(this.pipeline, keys);
    const staged = (row as MediaRow & { upload_key?: string | null }).upload_key;
    if (staged) await this.store.delete(staged);
  }

  private async requireProduct(productId: string) {
    const [product] = await this.db.query('SELECT 1 FROM products WHERE id = $1', [productId]);
    if (!product) throw AppError.notFound('product_not_found', `No product with id ${productId}`);
  }

  private async requireVariant(productId: string, variantId: string) {
    const [variant] = await this.db.query(
      'SELECT 1 FROM product_variants WHERE id = $1 AND product_id = $2',
      [variantId, productId],
    );
    if (!variant) throw AppError.invalid('variantId', 'is not a variant of this product');
  }

  private url(key: string | null): string | null {
    return key ? this.store.publicUrl(key) : null;
  }

  private toAdmin(r: MediaRow): AdminMedia {
    const p = r.processing ?? {};
    return {
      id: r.id,
      productId: r.product_id,
      variantId: r.variant_id,
      kind: r.kind,
      status: r.status,
      position: r.position,
      alt: r.alt,
      url: r.status === 'ready' ? this.url(r.storage_key) : null,
      originalUrl: r.status === 'ready' ? this.url(r.original_key) : null,
      mimeType: r.mime_type,
      byteSize: r.byte_size,
      originalByteSize: r.original_byte_size,
      width: r.width,
      height: r.height,
      stats: r.model_stats,
      statsBefore: p.statsBefore ?? null,
      preset: p.preset ?? null,
      processingMs: p.ms ?? null,
      renditions: (p.renditions ?? []).map((x) => ({
        width: x.width,
        height: x.height,
        format: x.format,
        url: this.store.publicUrl(x.key),
        byteSize: x.byteSize,
      })),
      validator: p.validator ?? null,
      failure: r.failure_code ? { code: r.failure_code, message: r.failure_message ?? '' } : null,
      attribution: r.attribution,
      posterMediaId: r.poster_media_id,
      createdAt: new Date(r.created_at).toISOString(),
      processedAt: r.processed_at ? new Date(r.processed_at).toISOString() : null,
    };
  }
}
