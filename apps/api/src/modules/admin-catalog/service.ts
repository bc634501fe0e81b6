import { type MediaPipeline, productTags, removeUnreferenced } from '@e3d/catalog';
import type {
  AdminProduct,
  AdminProductListQuery,
  AdminVariant,
  ProductTransition,
  productCreateSchema,
  productUpdateSchema,
  variantUpdateSchema,
} from '@e3d/contracts';
import { type Database, schema } from '@e3d/db';
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import { rowsOf, type Tx } from '../../sql.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { emitProductEvent, type ProductEventData } from '../webhooks/events.ts';
import { setProductCategories } from './categories.ts';
import { chooseHandle } from './handles.ts';
import { listAdminProducts, readAdminProduct, readAdminVariant } from './product-read.ts';
import type { StorefrontRevalidation } from './revalidate.ts';
import { catalogTransaction, conflict } from './transaction.ts';
import { syncVariantSet, type VariantSet } from './variant-set.ts';
import { bumpVersion, type LockedProduct, lockProduct } from './version.ts';

type ProductCreate = z.output<typeof productCreateSchema>;
type ProductUpdate = z.output<typeof productUpdateSchema>;
type VariantUpdate = z.output<typeof variantUpdateSchema>;

const { products, productVariants } = schema;

/** Which transitions exist, from which statuses. */
const TRANSITIONS: Record<ProductTransition, { from: string[]; to: 'published' | 'draft' | 'archived' }> = {
  publish: { from: ['draft', 'archived'], to: 'published' },
  unpublish: { from: ['published'], to: 'draft' },
  archive: { from: ['draft', 'published'], to: 'archived' },
};

export interface AdminCatalogDeps {
  db: Database;
  revalidation: StorefrontRevalidation;
  /** Deleting a product removes its stored files too. */
  files: Pick<MediaPipeline, 'db' | 'store' | 'cdn'>;
  assetBaseUrl: string;
}

/**
 * Staff product editing: create, edit, transitions, the option/variant grid, delete. Each
 * write is one transaction that checks the product version, bumps it, appends the audit
 * entry and queues the storefront revalidation.
 */
export class ProductAdminService {
  constructor(private readonly deps: AdminCatalogDeps) {}

  list(query: AdminProductListQuery) {
    return listAdminProducts(this.deps.db.orm, query, this.deps.assetBaseUrl);
  }

  async get(productId: string): Promise<AdminProduct> {
    const product = await readAdminProduct(this.deps.db.orm, productId);
    if (!product) throw AppError.notFound('product_not_found', `No product with id ${productId}`);
    return product;
  }

  async create(ctx: AuditContext, input: ProductCreate): Promise<AdminProduct> {
    return catalogTransaction(this.deps.db, async (tx) => {
      const handle = await chooseHandle(tx, 'products', input.handle, input.title, 'title');
      const [row] = await tx
        .insert(products)
        .values({
          handle,
          title: input.title,
          description: input.description,
          seoTitle: input.seo?.title ?? null,
          seoDescription: input.seo?.description ?? null,
        })
        .returning({ id: products.id });
      const id = row?.id as string;
      await setProductCategories(tx, id, input.categoryIds);
      await syncVariantSet(tx, id, input);
      const after = await this.read(tx, id);
      await recordAudit(tx, {
        ...ctx,
        action: 'product.create',
        entityType: 'product',
        entityId: id,
        before: null,
        after,
      });
      await emitProductEvent(tx, 'product.created', after);
      return after;
    });
  }

  async update(ctx: AuditContext, productId: string, version: number, input: ProductUpdate) {
    return this.write(ctx, productId, version, 'product.update', async (tx, locked) => {
      if (input.handle !== undefined && input.handle !== locked.handle) {
        const [taken] = await rowsOf(tx, sql`SELECT 1 FROM products WHERE handle = ${input.handle}`);
        if (taken) throw conflict('handle_taken', 'handle', 'is used by another product');
      }
      const changes = Object.fromEntries(
        Object.entries({
          handle: input.handle,
          title: input.title,
          description: input.description,
          seoTitle: input.seo?.title,
          seoDescription: input.seo?.description,
        }).filter(([, value]) => value !== undefined),
      );
      if (Object.keys(changes).length > 0) {
        await tx.update(products).set(changes).where(eq(products.id, productId));
      }
      if (input.categoryIds) await setProductCategories(tx, productId, input.categoryIds);
    });
  }

  async transition(ctx: AuditContext, productId: string, version: number, transition: ProductTransition) {
    const { from, to } = TRANSITIONS[transition];
    return this.write(ctx, productId, version, `product.${transition}`, async (tx, locked) => {
      if (!from.includes(locked.status)) {
        throw new AppError(409, 'invalid_transition', `A ${locked.status} product cannot ${transition}.`);
      }
      if (to === 'published') {
        const [variant] = await rowsOf(
          tx,
          sql`SELECT 1 FROM product_variants WHERE product_id = ${productId}`,
        );
        if (!variant) {
          throw new AppError(
            409,
            'not_publishable',
            'A product needs at least one variant (a price) to be published.',
          );
        }
      }
      await tx
        .update(products)
        .set({ status: to, publishedAt: to === 'published' ? sql`now()` : null })
        .where(eq(products.id, productId));
    });
  }

  async putVariants(ctx: AuditContext, productId: string, version: number, set: VariantSet) {
    return this.write(ctx, productId, version, 'product.variants_replace', (tx) =>
      syncVariantSet(tx, productId, set),
    );
  }

  /** One cell of the variant grid; answers the variant and the product's new version. */
  async updateVariant(
    ctx: AuditContext,
    productId: string,
    variantId: string,
    version: number,
    input: VariantUpdate,
  ): Promise<AdminVariant & { productVersion: number }> {
    return catalogTransaction(this.deps.db, async (tx) => {
      const locked = await lockProduct(tx, productId, version);
      const [current] = await tx
        .select()
        .from(productVariants)
        .where(sql`${productVariants.id} = ${variantId} AND ${productVariants.productId} = ${productId}`)
        .for('update');
      if (!current) throw AppError.notFound('variant_not_found', `No variant ${variantId} in this product`);
      const price = input.price ?? { amount: current.priceAmount, currency: current.currency };
      const compareAt =
        input.compareAtPrice === undefined
          ? current.compareAtAmount === null
            ? null
            : { amount: current.compareAtAmount, currency: current.currency }
          : input.compareAtPrice;
      if (compareAt && compareAt.amount <= price.amount) {
        const field = input.compareAtPrice ? 'compareAtPrice.amount' : 'price.amount';
        throw AppError.invalid(field, 'the compare-at price must stay above the price');
      }
      if (compareAt && compareAt.currency !== price.currency) {
        throw AppError.invalid('compareAtPrice.currency', 'must be the price currency');
      }
      if (input.price && input.price.currency !== current.currency) {
        const [other] = await rowsOf(
          tx,
          sql`SELECT 1 FROM product_variants WHERE product_id = ${productId} AND id <> ${variantId}
              AND currency <> ${input.price.currency}`,
        );
        if (other)
          throw AppError.invalid('price.currency', 'must be the same for every variant of a product');
      }
      if (input.sku !== undefined && input.sku !== current.sku) {
        const [taken] = await rowsOf(tx, sql`SELECT 1 FROM product_variants WHERE sku = ${input.sku}`);
        if (taken) throw conflict('sku_taken', 'sku', 'is used by another variant');
      }
      const before = await readAdminVariant(tx, variantId);
      await tx
        .update(productVariants)
        .set({
          sku: input.sku,
          title: input.title,
          priceAmount: price.amount,
          currency: price.currency,
          compareAtAmount: compareAt?.amount ?? null,
          stockOnHand: input.stock,
          allowBackorder: input.allowBackorder,
          weightGrams: input.weightGrams,
          ...(input.dimensionsMm !== undefined && {
            lengthMm: input.dimensionsMm?.length ?? null,
            widthMm: input.dimensionsMm?.width ?? null,
            heightMm: input.dimensionsMm?.height ?? null,
          }),
        })
        .where(eq(productVariants.id, variantId));
      const productVersion = await bumpVersion(tx, productId);
      const after = (await readAdminVariant(tx, variantId)) as AdminVariant;
      await recordAudit(tx, {
        ...ctx,
        action: 'variant.update',
        entityType: 'variant',
        entityId: variantId,
        before,
        after,
      });
      if (locked.status === 'published') await this.deps.revalidation.enqueue(tx, productTags(locked.handle));
      const [product] = await rowsOf<ProductEventData>(
        tx,
        sql`SELECT id, handle, title, status, version FROM products WHERE id = ${productId}`,
      );
      if (product) await emitProductEvent(tx, 'product.updated', product);
      return { ...after, productVersion };
    });
  }

  async delete(ctx: AuditContext, productId: string, version: number | undefined): Promise<void> {
    const files = await catalogTransaction(this.deps.db, async (tx) => {
      const locked = await lockProduct(tx, productId, version);
      const before = await this.read(tx, productId);
      const media = await rowsOf<{ keys: string[] }>(
        tx,
        sql`SELECT array_remove(ARRAY[storage_key, original_key, upload_key] || coalesce(ARRAY(
              SELECT r->>'key' FROM jsonb_array_elements(processing->'renditions') r), '{}'), NULL) AS keys
            FROM product_media WHERE product_id = ${productId}`,
      );
      await tx.delete(products).where(eq(products.id, productId));
      await recordAudit(tx, {
        ...ctx,
        action: 'product.delete',
        entityType: 'product',
        entityId: productId,
        before,
        after: null,
      });
      await emitProductEvent(tx, 'product.deleted', before);
      if (locked.status === 'published') await this.deps.revalidation.enqueue(tx, productTags(locked.handle));
      return media.flatMap((m) => m.keys);
    });
    await removeUnreferenced(this.deps.files, files).catch(() => {
      // Orphaned files cost storage, not correctness; a later cleanup can sweep them.
    });
  }

  /**
   * The frame of every versioned product write: lock and check the version, run `change`,
   * bump the version, then audit the whole product before and after and tell the storefront
   * when the product was or is visible there.
   */
  private write(
    ctx: AuditContext,
    productId: string,
    version: number,
    action: string,
    change: (tx: Tx, locked: LockedProduct) => Promise<void>,
  ): Promise<AdminProduct> {
    return catalogTransaction(this.deps.db, async (tx) => {
      const locked = await lockProduct(tx, productId, version);
      const before = await this.read(tx, productId);
      await change(tx, locked);
      await bumpVersion(tx, productId);
      const after = await this.read(tx, productId);
      await recordAudit(tx, { ...ctx, action, entityType: 'product', entityId: productId, before, after });
      await emitProductEvent(tx, 'product.updated', after);
      if (before.status === 'published' || after.status === 'published') {
        await this.deps.revalidation.enqueue(tx, productTags(before.handle, after.handle));
      }
      return after;
    });
  }

  private async read(tx: Tx, productId: string): Promise<AdminProduct> {
    const product = await readAdminProduct(tx, productId);
    if (!product) throw AppError.notFound('product_not_found', `No product with id ${productId}`);
    return product;
  }
}
