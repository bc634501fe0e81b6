import { productTags, type StorefrontRevalidation } from '@e3d/catalog';
import type { BulkEdit, bulkEditResultSchema } from '@e3d/contracts';
import { type Database, type ProductVariantRow, rows, sql, type Tx } from '@e3d/db';
import type { z } from 'zod';
import { AppError, type FieldError } from '../../errors.ts';
import { type AuditContext, type AuditRecord, recordAudit } from '../audit/record.ts';
import { emitProductEvent, type ProductEventData } from '../webhooks/events.ts';
import { catalogTransaction } from './transaction.ts';

type BulkEditResult = z.output<typeof bulkEditResultSchema>;

/** A variant with the product fields its revalidation needs. */
type VariantRow = Pick<
  ProductVariantRow,
  'id' | 'sku' | 'product_id' | 'price_amount' | 'currency' | 'compare_at_amount' | 'stock_on_hand'
> & { handle: string; status: string };

const money = (amount: number | null, currency: string) => (amount === null ? null : { amount, currency });

/**
 * Prices and stock of many variants (by id or SKU) in one transaction: every row is checked
 * first and any problem — unknown SKU, wrong currency, compare-at not above price, the same
 * variant twice — rejects the whole edit with one error per row, and nothing changes.
 * Touched products move to their next version, so an editor holding an older one re-reads.
 */
export async function bulkEdit(
  db: Database,
  revalidation: StorefrontRevalidation,
  ctx: AuditContext,
  edits: BulkEdit['rows'],
): Promise<BulkEditResult> {
  return catalogTransaction(db, async (tx) => {
    const found = await lockVariants(tx, edits);
    const byId = new Map(found.map((v) => [v.id, v]));
    const bySku = new Map(found.map((v) => [v.sku, v]));
    const errors: FieldError[] = [];
    const seen = new Map<string, number>();
    const changes: { row: number; before: VariantRow; after: VariantRow }[] = [];

    for (const [i, row] of edits.entries()) {
      const key = row.variantId !== undefined ? 'variantId' : 'sku';
      const before = row.variantId !== undefined ? byId.get(row.variantId) : bySku.get(row.sku ?? '');
      const fail = (field: string, message: string) => errors.push({ field: `rows.${i}.${field}`, message });
      if (!before) {
        fail(key, 'is not a variant');
        continue;
      }
      const earlier = seen.get(before.id);
      if (earlier !== undefined) {
        fail(key, `is the same variant as row ${earlier}`);
        continue;
      }
      seen.set(before.id, i);
      if (row.price && row.price.currency !== before.currency) {
        fail('price.currency', `must be the variant's currency (${before.currency})`);
      }
      if (row.compareAtPrice && row.compareAtPrice.currency !== before.currency) {
        fail('compareAtPrice.currency', `must be the variant's currency (${before.currency})`);
      }
      const price = row.price?.amount ?? before.price_amount;
      const compareAt =
        row.compareAtPrice === undefined ? before.compare_at_amount : (row.compareAtPrice?.amount ?? null);
      if (compareAt !== null && compareAt <= price) {
        fail(
          row.compareAtPrice ? 'compareAtPrice.amount' : 'price.amount',
          'the compare-at price must stay above the price',
        );
      }
      changes.push({
        row: i,
        before,
        after: {
          ...before,
          price_amount: price,
          compare_at_amount: compareAt,
          stock_on_hand: row.stock ?? before.stock_on_hand,
        },
      });
    }
    if (errors.length > 0) {
      throw new AppError(
        400,
        'bulk_rejected',
        `${new Set(errors.map((e) => e.field.split('.')[1])).size} of ${edits.length} rows cannot be applied; nothing was changed.`,
        errors,
      );
    }

    const values = changes.map(({ after: a }) => ({
      id: a.id,
      price_amount: a.price_amount,
      compare_at_amount: a.compare_at_amount,
      stock_on_hand: a.stock_on_hand,
    }));
    await rows(
      tx,
      sql`UPDATE product_variants v SET price_amount = x.price_amount,
        compare_at_amount = x.compare_at_amount, stock_on_hand = x.stock_on_hand
      FROM jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
        AS x(id uuid, price_amount int, compare_at_amount int, stock_on_hand int)
      WHERE v.id = x.id`,
    );
    const productIds = [...new Set(changes.map((c) => c.before.product_id))];
    const bumped = await rows<ProductEventData>(
      tx,
      sql`UPDATE products SET version = version + 1
        WHERE id::text IN (SELECT jsonb_array_elements_text(${JSON.stringify(productIds)}::jsonb))
        RETURNING id, handle, title, status, version`,
    );
    for (const product of bumped) await emitProductEvent(tx, 'product.updated', product);

    const snapshot = (v: VariantRow) => ({
      sku: v.sku,
      productId: v.product_id,
      price: money(v.price_amount, v.currency),
      compareAtPrice: money(v.compare_at_amount, v.currency),
      stock: v.stock_on_hand,
    });
    const audit: AuditRecord[] = changes.map((c) => ({
      ...ctx,
      action: 'variant.bulk_update',
      entityType: 'variant',
      entityId: c.before.id,
      before: snapshot(c.before),
      after: snapshot(c.after),
    }));
    await recordAudit(tx, audit);
    const visible = changes.filter((c) => c.before.status === 'published').map((c) => c.before.handle);
    if (visible.length > 0) await revalidation.enqueue(tx, productTags(...visible));

    return {
      updated: changes.length,
      rows: changes.map(({ row, after: a }) => ({
        row,
        variantId: a.id,
        productId: a.product_id,
        sku: a.sku,
        price: { amount: a.price_amount, currency: a.currency },
        compareAtPrice: money(a.compare_at_amount, a.currency),
        stock: a.stock_on_hand,
      })),
    };
  });
}

/**
 * The variants the rows name, locked. Products are locked first, in id order, as every
 * product write does, so a bulk edit and an editor's save queue rather than deadlock.
 */
async function lockVariants(tx: Tx, edits: BulkEdit['rows']): Promise<VariantRow[]> {
  const ids = JSON.stringify(edits.flatMap((r) => (r.variantId ? [r.variantId] : [])));
  const skus = JSON.stringify(edits.flatMap((r) => (r.sku ? [r.sku] : [])));
  const named = sql`SELECT id FROM product_variants
    WHERE id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb))
       OR sku IN (SELECT jsonb_array_elements_text(${skus}::jsonb))`;
  await rows(
    tx,
    sql`SELECT 1 FROM products WHERE id IN (
      SELECT product_id FROM product_variants WHERE id IN (${named})) ORDER BY id FOR UPDATE`,
  );
  return rows<VariantRow>(
    tx,
    sql`SELECT v.id, v.sku, v.product_id, v.price_amount, v.currency, v.compare_at_amount, v.stock_on_hand,
          p.handle, p.status
        FROM product_variants v JOIN products p ON p.id = v.product_id
        WHERE v.id IN (${named}) ORDER BY v.id FOR UPDATE OF v`,
  );
}
