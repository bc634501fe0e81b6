import type { AdminMedia } from '@e3d/contracts';
import { type ProductMediaRow, type Queryable, rows, sql } from '@e3d/db';
import type { ObjectStore } from '@e3d/storage';
import { AppError } from '../../errors.ts';

/** The columns behind what staff see of a media, and its staged upload (to clean up on delete). */
export type AdminMediaRow = Pick<
  ProductMediaRow,
  | 'id'
  | 'product_id'
  | 'upload_key'
  | 'variant_id'
  | 'kind'
  | 'status'
  | 'position'
  | 'alt'
  | 'storage_key'
  | 'original_key'
  | 'mime_type'
  | 'byte_size'
  | 'original_byte_size'
  | 'width'
  | 'height'
  | 'model_stats'
  | 'processing'
  | 'failure_code'
  | 'failure_message'
  | 'attribution'
  | 'poster_media_id'
  | 'created_at'
  | 'processed_at'
>;

export const ADMIN_MEDIA_COLUMNS = sql`id, product_id, upload_key, variant_id, kind, status, position, alt,
  storage_key, original_key, mime_type, byte_size, original_byte_size, width, height, model_stats,
  processing, failure_code, failure_message, attribution, poster_media_id, created_at, processed_at`;

/** A media as staff see it: every state, stats before and after, validator messages. */
export class MediaView {
  constructor(private readonly store: ObjectStore) {}

  async get(conn: Queryable, mediaId: string): Promise<AdminMedia> {
    const [row] = await rows<AdminMediaRow>(
      conn,
      sql`SELECT ${ADMIN_MEDIA_COLUMNS} FROM product_media WHERE id = ${mediaId}`,
    );
    if (!row) throw AppError.notFound('media_not_found', `No media with id ${mediaId}`);
    return this.toAdmin(row);
  }

  async listForProduct(conn: Queryable, productId: string): Promise<AdminMedia[]> {
    const found = await rows<AdminMediaRow>(
      conn,
      sql`SELECT ${ADMIN_MEDIA_COLUMNS} FROM product_media WHERE product_id = ${productId}
          ORDER BY position, created_at`,
    );
    return found.map((r) => this.toAdmin(r));
  }

  toAdmin(r: AdminMediaRow): AdminMedia {
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

  private url(key: string | null): string | null {
    return key ? this.store.publicUrl(key) : null;
  }
}
