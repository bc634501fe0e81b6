import { productTags, type StorefrontRevalidation } from '@e3d/catalog';
import type { MaterialVariantMapping } from '@e3d/contracts';
import { type Connection, type Database, type ProductMediaRow, type Queryable, rows, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { requireVariant } from './product-checks.ts';

/** A media with what its edits need of the product (to tell the storefront) and of its model. */
type ArrangedMedia = Pick<
  ProductMediaRow,
  'id' | 'product_id' | 'kind' | 'status' | 'alt' | 'variant_id' | 'poster_media_id'
> & { material_variants: string[] | null; handle: string; product_status: string };

/**
 * What staff arrange about media once it exists: display order, alt text, the variant it
 * shows, a model's poster, and which material variant of a 3D model each product variant
 * switches to. Media has no version of its own: these small edits simply apply in order.
 */
export class MediaAdminService {
  constructor(
    private readonly db: Database,
    private readonly revalidation: StorefrontRevalidation,
  ) {}

  async reorder(ctx: AuditContext, productId: string, mediaIds: string[]): Promise<void> {
    await this.db.transaction(async (conn) => {
      const [product] = await rows<{ handle: string; status: string }>(
        conn,
        sql`SELECT handle, status FROM products WHERE id = ${productId} FOR UPDATE`,
      );
      if (!product) throw AppError.notFound('product_not_found', `No product with id ${productId}`);
      const current = (
        await rows<Pick<ProductMediaRow, 'id'>>(
          conn,
          sql`SELECT id FROM product_media WHERE product_id = ${productId} ORDER BY position, created_at FOR UPDATE`,
        )
      ).map((r) => r.id);
      const known = new Set(current);
      const stranger = mediaIds.findIndex((id) => !known.has(id));
      if (stranger >= 0) throw AppError.invalid(`mediaIds.${stranger}`, 'is not a media of this product');
      if (mediaIds.length !== current.length) {
        throw AppError.invalid('mediaIds', `must list all ${current.length} media of the product`);
      }
      await rows(
        conn,
        sql`UPDATE product_media m SET position = x.ord - 1
            FROM jsonb_array_elements_text(${JSON.stringify(mediaIds)}::jsonb) WITH ORDINALITY AS x(id, ord)
            WHERE m.id = x.id::uuid`,
      );
      await recordAudit(conn, {
        ...ctx,
        action: 'media.reorder',
        entityType: 'product',
        entityId: productId,
        before: { mediaIds: current },
        after: { mediaIds },
      });
      if (product.status === 'published') await this.revalidation.enqueue(conn, productTags(product.handle));
    });
  }

  async update(
    ctx: AuditContext,
    mediaId: string,
    input: { alt?: string; variantId?: string | null; posterMediaId?: string | null },
  ) {
    await this.db.transaction(async (conn) => {
      const media = await lockMedia(conn, mediaId);
      if (input.variantId) await requireVariant(conn, media.product_id, input.variantId, 'variantId');
      if (input.posterMediaId !== undefined) await requirePoster(conn, media, input.posterMediaId);
      await rows(
        conn,
        sql`UPDATE product_media SET
              alt = coalesce(${input.alt ?? null}, alt),
              variant_id = CASE WHEN ${input.variantId !== undefined}::boolean THEN ${input.variantId ?? null}::uuid
                ELSE variant_id END,
              poster_media_id = CASE WHEN ${input.posterMediaId !== undefined}::boolean
                THEN ${input.posterMediaId ?? null}::uuid ELSE poster_media_id END
            WHERE id = ${mediaId}`,
      );
      await recordAudit(conn, {
        ...ctx,
        action: 'media.update',
        entityType: 'media',
        entityId: mediaId,
        before: { alt: media.alt, variantId: media.variant_id, posterMediaId: media.poster_media_id },
        after: {
          alt: input.alt ?? media.alt,
          variantId: input.variantId === undefined ? media.variant_id : input.variantId,
          posterMediaId: input.posterMediaId === undefined ? media.poster_media_id : input.posterMediaId,
        },
      });
      if (media.product_status === 'published')
        await this.revalidation.enqueue(conn, productTags(media.handle));
    });
  }

  async materialVariants(mediaId: string): Promise<MaterialVariantMapping> {
    const media = await readMedia(this.db, mediaId);
    if (!media) throw AppError.notFound('media_not_found', `No media with id ${mediaId}`);
    return mapping(this.db, media);
  }

  /** Replaces the model's variant → material variant links; names must be the model's own. */
  async setMaterialVariants(
    ctx: AuditContext,
    mediaId: string,
    links: { variantId: string; materialVariant: string }[],
  ): Promise<MaterialVariantMapping> {
    return this.db.transaction(async (conn) => {
      const media = await lockMedia(conn, mediaId);
      if (media.kind !== 'model') {
        throw new AppError(409, 'media_not_model', 'Only a 3D model has material variants.');
      }
      if (media.status !== 'ready') {
        throw new AppError(
          409,
          'media_not_ready',
          'The model is still being processed; link variants once it is ready.',
        );
      }
      const available = media.material_variants ?? [];
      for (const [i, link] of links.entries()) {
        await requireVariant(conn, media.product_id, link.variantId, `links.${i}.variantId`);
        if (!available.includes(link.materialVariant)) {
          throw AppError.invalid(
            `links.${i}.materialVariant`,
            available.length > 0
              ? `is not a material variant of the model (${available.join(', ')})`
              : 'is not a material variant: the model has none',
          );
        }
      }
      const before = await mapping(conn, media);
      await rows(conn, sql`DELETE FROM media_material_variants WHERE media_id = ${mediaId}`);
      if (links.length > 0) {
        await rows(
          conn,
          sql`INSERT INTO media_material_variants (media_id, variant_id, material_variant)
              SELECT ${mediaId}, x."variantId", x."materialVariant"
              FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS x("variantId" uuid, "materialVariant" text)`,
        );
      }
      const after = await mapping(conn, media);
      await recordAudit(conn, {
        ...ctx,
        action: 'media.material_variants_set',
        entityType: 'media',
        entityId: mediaId,
        before: before.links,
        after: after.links,
      });
      if (media.product_status === 'published')
        await this.revalidation.enqueue(conn, productTags(media.handle));
      return after;
    });
  }
}

async function readMedia(conn: Queryable, mediaId: string): Promise<ArrangedMedia | undefined> {
  const [row] = await rows<ArrangedMedia>(
    conn,
    sql`SELECT m.id, m.product_id, m.kind, m.status, m.alt, m.variant_id, m.poster_media_id,
          m.model_stats->'materialVariants' AS material_variants, p.handle, p.status AS product_status
        FROM product_media m JOIN products p ON p.id = m.product_id WHERE m.id = ${mediaId}`,
  );
  return row;
}

/** The media, locked until the transaction ends: edits of one media apply one after another. */
async function lockMedia(conn: Connection, mediaId: string): Promise<ArrangedMedia> {
  await rows(conn, sql`SELECT 1 FROM product_media WHERE id = ${mediaId} FOR UPDATE`);
  const media = await readMedia(conn, mediaId);
  if (!media) throw AppError.notFound('media_not_found', `No media with id ${mediaId}`);
  return media;
}

async function mapping(conn: Queryable, media: ArrangedMedia): Promise<MaterialVariantMapping> {
  const links = await rows<{ variantId: string; materialVariant: string }>(
    conn,
    sql`SELECT l.variant_id AS "variantId", l.material_variant AS "materialVariant"
        FROM media_material_variants l JOIN product_variants v ON v.id = l.variant_id
        WHERE l.media_id = ${media.id} ORDER BY v.position, v.sku`,
  );
  return { mediaId: media.id, available: media.material_variants ?? [], links };
}

/**
 * A model's poster must be an image of the same product that is, or is on its way to
 * being, ready: a failed one would show nothing. The storefront shows it once it is ready.
 */
async function requirePoster(conn: Queryable, media: ArrangedMedia, posterId: string | null) {
  const refuse = (message: string) =>
    new AppError(400, 'poster_invalid', `posterMediaId: ${message}`, [{ field: 'posterMediaId', message }]);
  if (media.kind !== 'model') throw refuse('only a 3D model has a poster');
  if (posterId === null) return;
  const [poster] = await rows<Pick<ProductMediaRow, 'product_id' | 'kind' | 'status'>>(
    conn,
    sql`SELECT product_id, kind, status FROM product_media WHERE id = ${posterId}`,
  );
  if (!poster || poster.product_id !== media.product_id) throw refuse('is not a media of this product');
  if (poster.kind !== 'image') throw refuse('must be an image');
  // A just-confirmed upload is still `uploaded` (queued for the worker): the admin flow sets
  // the poster right after confirming the capture, so only a failed image is refused.
  if (poster.status === 'failed') throw refuse('the image failed processing');
}
