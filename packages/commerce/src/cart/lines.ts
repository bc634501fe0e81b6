import {
  type CartLineRow,
  type ProductVariantRow,
  type Queryable,
  rows,
  type StockReservationRow,
  sql,
} from '@e3d/db';

/** A cart line with what the catalog says about its variant now. */
export interface CartLineWithVariant {
  variantId: string;
  quantity: number;
  sku: string;
  variantTitle: string;
  priceAmount: number;
  compareAtAmount: number | null;
  currency: string;
  stockOnHand: number;
  allowBackorder: boolean;
  weightGrams: number;
  productId: string;
  productHandle: string;
  productTitle: string;
  productStatus: string;
  imageKey: string | null;
}

type RawLine = Pick<CartLineRow, 'variant_id' | 'quantity'> &
  Pick<
    ProductVariantRow,
    | 'sku'
    | 'price_amount'
    | 'compare_at_amount'
    | 'currency'
    | 'stock_on_hand'
    | 'allow_backorder'
    | 'product_id'
  > & {
    variant_title: string;
    weight_grams: number;
    handle: string;
    product_title: string;
    product_status: string;
    image_key: string | null;
  };

/**
 * The cart's lines joined with their variants. With `lockVariants` the variant rows are locked
 * (in id order, so two checkouts never deadlock) until the caller's transaction ends.
 */
export async function loadCartLines(
  conn: Queryable,
  cartId: string,
  options: { lockVariants?: boolean } = {},
): Promise<CartLineWithVariant[]> {
  const lines = await rows<RawLine>(
    conn,
    sql`SELECT cl.variant_id, cl.quantity, v.sku, v.title AS variant_title, v.price_amount,
       v.compare_at_amount, v.currency, v.stock_on_hand, v.allow_backorder,
       coalesce(v.weight_grams, 0) AS weight_grams, p.id AS product_id, p.handle,
       p.title AS product_title, p.status AS product_status,
       (SELECT m.storage_key FROM product_media m
         WHERE m.product_id = p.id AND m.kind = 'image' AND m.status = 'ready'
           AND (m.variant_id = v.id OR m.variant_id IS NULL)
         ORDER BY (m.variant_id IS NULL), m.position, m.id LIMIT 1) AS image_key
     FROM cart_lines cl
     JOIN product_variants v ON v.id = cl.variant_id
     JOIN products p ON p.id = v.product_id
     WHERE cl.cart_id = ${cartId}
     ${options.lockVariants ? sql`ORDER BY v.id FOR UPDATE OF v` : sql`ORDER BY cl.created_at, cl.variant_id`}`,
  );
  return lines.map((r) => ({
    variantId: r.variant_id,
    quantity: r.quantity,
    sku: r.sku,
    variantTitle: r.variant_title,
    priceAmount: r.price_amount,
    compareAtAmount: r.compare_at_amount,
    currency: r.currency,
    stockOnHand: r.stock_on_hand,
    allowBackorder: r.allow_backorder,
    weightGrams: Number(r.weight_grams),
    productId: r.product_id,
    productHandle: r.handle,
    productTitle: r.product_title,
    productStatus: r.product_status,
    imageKey: r.image_key,
  }));
}

/**
 * Units held by unexpired checkout reservations, per variant. Run it as its own statement after
 * locking the variants: under READ COMMITTED a new statement sees reservations that a checkout
 * which held the lock before us committed.
 */
export async function heldQuantities(
  conn: Queryable,
  variantIds: readonly string[],
  options: { excludeOrderId?: string } = {},
): Promise<Map<string, number>> {
  if (variantIds.length === 0) return new Map();
  const excluded = options.excludeOrderId ?? null;
  const held = await rows<Pick<StockReservationRow, 'variant_id'> & { held: string | number }>(
    conn,
    sql`SELECT variant_id, sum(quantity) AS held FROM stock_reservations
        WHERE variant_id = ANY(${sql.param(variantIds)}::uuid[]) AND state = 'held' AND expires_at > now()
          AND (${excluded}::uuid IS NULL OR order_id <> ${excluded}::uuid)
        GROUP BY variant_id`,
  );
  return new Map(held.map((r) => [r.variant_id, Number(r.held)]));
}
