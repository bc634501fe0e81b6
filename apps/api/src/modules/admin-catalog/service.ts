import { productTags, type StorefrontRevalidation } from '@e3d/catalog';
import type {
  AdminProduct,
  AdminProductListQuery,
  AdminVariant,
  ProductTransition,
  productCreateSchema,
  productUpdateSchema,
  variantUpdateSchema,
} from '@e3d/contracts';
import { type Database, type ProductVariantRow, rows, type SQL, sql, type Tx } from '@e3d/db';
import { type MediaPipeline, removeUnreferenced } from '@e3d/media';
import type { z } from 'zod';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { emitProductEvent, type ProductEventData } from '../webhooks/events.ts';
import { setProductCategories } from './categories.ts';
import { chooseHandle } from './handles.ts';
import { listAdminProducts, readAdminProduct, readAdminVariant } from './product-read.ts';
import { catalogTransaction, conflict } from './transaction.ts';
import { syncVariantSet, type VariantSet } from './variant-set.ts';

type ProductCreate = z.output<typeof productCreateSchema>;
type ProductUpdate = z.output<typeof productUpdateSchema>;
type VariantUpdate = z.output<typeof variantUpdateSchema>;

const productNotFound = (id: string) => AppError.notFound('product_not_found', `No product with id ${id}`);

/** `column = value` for each value given; undefined leaves the column as it is. */
const assignments = (values: Record<string, unknown>): SQL[] =>
  Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([column, value]) => sql`${sql.raw(column)} = ${value}`);

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
  private readonly products: AuditedResource<AdminProduct>;

  constructor(private readonly deps: AdminCatalogDeps) {
    this.products = new AuditedResource({
      table: 'products',
      entity: 'product',
      read: readAdminProduct,
      notFound: productNotFound,
      transaction: (fn) => catalogTransaction(deps.db, fn),
      versioned: true,
      // Subscribers hear of every write; the storefront of those it shows (or showed).
      afterWrite: async (tx, { kind, before, after }) => {
        await emitProductEvent(tx, `product.${kind}d`, (after ?? before) as AdminProduct);
        if (before?.status === 'published' || after?.status === 'published') {
          const handles = [before, after].flatMap((p) => (p ? [p.handle] : []));
          await deps.revalidation.enqueue(tx, productTags(...handles));
        }
      },
    });
  }

  list(query: AdminProductListQuery) {
    return listAdminProducts(this.deps.db.orm, query, this.deps.assetBaseUrl);
  }

  get(productId: string): Promise<AdminProduct> {
    return this.products.get(this.deps.db.orm, productId);
  }

  create(ctx: AuditContext, input: ProductCreate): Promise<AdminProduct> {
    return this.products.create(ctx, async (tx) => {
      const handle = await chooseHandle(tx, 'products', input.handle, input.title, 'title');
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO products (handle, title, description, seo_title, seo_description)
            VALUES (${handle}, ${input.title}, ${input.description}, ${input.seo?.title ?? null},
              ${input.seo?.description ?? null})
            RETURNING id`,
      );
      const id = row?.id as string;
      await setProductCategories(tx, id, input.categoryIds);
      await syncVariantSet(tx, id, input);
      return id;
    });
  }

  update(ctx: AuditContext, productId: string, version: number, input: ProductUpdate) {
    return this.write(ctx, productId, version, 'product.update', async (tx, before) => {
      if (input.handle !== undefined && input.handle !== before.handle) {
        const [taken] = await rows(tx, sql`SELECT 1 FROM products WHERE handle = ${input.handle}`);
        if (taken) throw conflict('handle_taken', 'handle', 'is used by another product');
      }
      const changes = assignments({
        handle: input.handle,
        title: input.title,
        description: input.description,
        seo_title: input.seo?.title,
        seo_description: input.seo?.description,
      });
      if (changes.length > 0) {
        await rows(tx, sql`UPDATE products SET ${sql.join(changes, sql`, `)} WHERE id = ${productId}`);
      }
      if (input.categoryIds) await setProductCategories(tx, productId, input.categoryIds);
    });
  }

  transition(ctx: AuditContext, productId: string, version: number, transition: ProductTransition) {
    const { from, to } = TRANSITIONS[transition];
    return this.write(ctx, productId, version, `product.${transition}`, async (tx, before) => {
      if (!from.includes(before.status)) {
        throw new AppError(409, 'invalid_transition', `A ${before.status} product cannot ${transition}.`);
      }
      if (to === 'published') {
        const [variant] = await rows(tx, sql`SELECT 1 FROM product_variants WHERE product_id = ${productId}`);
        if (!variant) {
          throw new AppError(
            409,
            'not_publishable',
            'A product needs at least one variant (a price) to be published.',
          );
        }
      }
      await rows(
        tx,
        sql`UPDATE products SET status = ${to}::product_status,
              published_at = ${to === 'published' ? sql`now()` : sql`NULL`}
            WHERE id = ${productId}`,
      );
    });
  }

  putVariants(ctx: AuditContext, productId: string, version: number, set: VariantSet) {
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
      await this.products.lockRow(tx, productId, version);
      const [current] = await rows<
        Pick<ProductVariantRow, 'sku' | 'price_amount' | 'currency' | 'compare_at_amount'>
      >(
        tx,
        sql`SELECT sku, price_amount, currency, compare_at_amount FROM product_variants
            WHERE id = ${variantId} AND product_id = ${productId} FOR UPDATE`,
      );
      if (!current) throw AppError.notFound('variant_not_found', `No variant ${variantId} in this product`);
      const price = input.price ?? { amount: current.price_amount, currency: current.currency };
      const compareAt =
        input.compareAtPrice === undefined
          ? current.compare_at_amount === null
            ? null
            : { amount: current.compare_at_amount, currency: current.currency }
          : input.compareAtPrice;
      if (compareAt && compareAt.amount <= price.amount) {
        const field = input.compareAtPrice ? 'compareAtPrice.amount' : 'price.amount';
        throw AppError.invalid(field, 'the compare-at price must stay above the price');
      }
      if (compareAt && compareAt.currency !== price.currency) {
        throw AppError.invalid('compareAtPrice.currency', 'must be the price currency');
      }
      if (input.price && input.price.currency !== current.currency) {
        const [other] = await rows(
          tx,
          sql`SELECT 1 FROM product_variants WHERE product_id = ${productId} AND id <> ${variantId}
              AND currency <> ${input.price.currency}`,
        );
        if (other)
          throw AppError.invalid('price.currency', 'must be the same for every variant of a product');
      }
      if (input.sku !== undefined && input.sku !== current.sku) {
        const [taken] = await rows(tx, sql`SELECT 1 FROM product_variants WHERE sku = ${input.sku}`);
        if (taken) throw conflict('sku_taken', 'sku', 'is used by another variant');
      }
      const before = await readAdminVariant(tx, variantId);
      const changes = assignments({
        sku: input.sku,
        title: input.title,
        price_amount: price.amount,
        currency: price.currency,
        compare_at_amount: compareAt?.amount ?? null,
        stock_on_hand: input.stock,
        allow_backorder: input.allowBackorder,
        weight_grams: input.weightGrams,
        ...(input.dimensionsMm !== undefined && {
          length_mm: input.dimensionsMm?.length ?? null,
          width_mm: input.dimensionsMm?.width ?? null,
          height_mm: input.dimensionsMm?.height ?? null,
        }),
      });
      await rows(tx, sql`UPDATE product_variants SET ${sql.join(changes, sql`, `)} WHERE id = ${variantId}`);
      const productVersion = await this.products.bumpVersion(tx, productId);
      const after = (await readAdminVariant(tx, variantId)) as AdminVariant;
      await recordAudit(tx, {
        ...ctx,
        action: 'variant.update',
        entityType: 'variant',
        entityId: variantId,
        before,
        after,
      });
      // The variant's own write leaves the product's handle and status as they were.
      const [product] = await rows<ProductEventData>(
        tx,
        sql`SELECT id, handle, title, status, version FROM products WHERE id = ${productId}`,
      );
      if (!product) throw productNotFound(productId);
      if (product.status === 'published') {
        await this.deps.revalidation.enqueue(tx, productTags(product.handle));
      }
      await emitProductEvent(tx, 'product.updated', product);
      return { ...after, productVersion };
    });
  }

  async delete(ctx: AuditContext, productId: string, version: number | undefined): Promise<void> {
    const files = await this.products.delete(ctx, productId, {
      version,
      check: async (tx) => {
        const media = await rows<{ keys: string[] }>(
          tx,
          sql`SELECT array_remove(ARRAY[storage_key, original_key, upload_key] || coalesce(ARRAY(
                SELECT r->>'key' FROM jsonb_array_elements(processing->'renditions') r), '{}'), NULL) AS keys
              FROM product_media WHERE product_id = ${productId}`,
        );
        return media.flatMap((m) => m.keys);
      },
    });
    await removeUnreferenced(this.deps.files, files).catch(() => {
      // Orphaned files cost storage, not correctness; a later cleanup can sweep them.
    });
  }

  /** A versioned write of the product itself, audited as `action`. */
  private write(
    ctx: AuditContext,
    productId: string,
    version: number,
    action: string,
    change: (tx: Tx, before: AdminProduct) => Promise<void>,
  ): Promise<AdminProduct> {
    return this.products.update(ctx, productId, change, { action, version });
  }
}
