import { type ProductVariantRow, type Queryable, rows, type StockReservationRow, sql } from '@e3d/db';
import { heldQuantities } from '../cart/lines.ts';

/**
 * Stock moves in three steps. Checkout *holds* units for a pending order (a reservation that
 * lapses on its own at `expires_at`); payment *commits* them (stock_on_hand goes down and the
 * reservation is spent); a failed or canceled checkout *releases* them. Every step locks the
 * variant rows in id order first, so concurrent checkouts queue instead of overselling.
 */

export interface Shortage {
  variantId: string;
  sku: string;
  requested: number;
  available: number;
}

type LockedVariant = Pick<ProductVariantRow, 'id' | 'sku' | 'stock_on_hand' | 'allow_backorder'>;

async function lockVariants(conn: Queryable, variantIds: string[]): Promise<Map<string, LockedVariant>> {
  const locked = await rows<LockedVariant>(
    conn,
    sql`SELECT id, sku, stock_on_hand, allow_backorder FROM product_variants
        WHERE id = ANY(${sql.param(variantIds)}::uuid[]) ORDER BY id FOR UPDATE`,
  );
  return new Map(locked.map((r) => [r.id, r]));
}

/** What is missing to sell `wanted` units (variant id → quantity); the variants must be locked. */
export async function findShortages(
  conn: Queryable,
  wanted: Map<string, number>,
  variants: Map<string, Pick<LockedVariant, 'sku' | 'stock_on_hand' | 'allow_backorder'>>,
  options: { excludeOrderId?: string } = {},
): Promise<Shortage[]> {
  const held = await heldQuantities(conn, [...wanted.keys()], options);
  const shortages: Shortage[] = [];
  for (const [variantId, requested] of wanted) {
    const variant = variants.get(variantId);
    if (!variant) {
      shortages.push({ variantId, sku: '', requested, available: 0 });
      continue;
    }
    if (variant.allow_backorder) continue;
    const available = Math.max(0, variant.stock_on_hand - (held.get(variantId) ?? 0));
    if (requested > available) shortages.push({ variantId, sku: variant.sku, requested, available });
  }
  return shortages;
}

/** Holds the units of a new order until `minutes` from now. The variants must be locked. */
export async function holdStock(
  conn: Queryable,
  orderId: string,
  lines: { variantId: string; quantity: number }[],
  minutes: number,
): Promise<void> {
  const held = JSON.stringify(lines.map((l) => ({ variant_id: l.variantId, quantity: l.quantity })));
  await rows(
    conn,
    sql`INSERT INTO stock_reservations (order_id, variant_id, quantity, expires_at)
        SELECT ${orderId}, x.variant_id, x.quantity, now() + make_interval(mins => ${minutes})
        FROM jsonb_to_recordset(${held}::jsonb) AS x(variant_id uuid, quantity int)`,
  );
}

/**
 * Turns the order's reservations into sold stock. A reservation that lapsed (slow payment) is
 * taken again only if the stock is still there; otherwise nothing changes and the shortages are
 * returned — the caller cancels and refunds rather than oversell.
 */
export async function commitStock(conn: Queryable, orderId: string): Promise<Shortage[]> {
  const reservations = await rows<Pick<StockReservationRow, 'variant_id' | 'quantity'> & { live: boolean }>(
    conn,
    sql`SELECT variant_id, quantity, (state = 'held' AND expires_at > now()) AS live
        FROM stock_reservations WHERE order_id = ${orderId} AND state IN ('held', 'released')`,
  );
  if (reservations.length === 0) return [];
  const variants = await lockVariants(
    conn,
    reservations.map((r) => r.variant_id),
  );
  const lapsed = new Map(reservations.filter((r) => !r.live).map((r) => [r.variant_id, r.quantity]));
  const shortages =
    lapsed.size > 0 ? await findShortages(conn, lapsed, variants, { excludeOrderId: orderId }) : [];
  // A live hold can outrun the shelf too, when staff lowered the stock (or turned backorders
  // off) after checkout took it; selling it would take stock below zero (CHECK, migration 0012).
  for (const r of reservations) {
    const v = variants.get(r.variant_id);
    if (r.live && v && !v.allow_backorder && r.quantity > v.stock_on_hand) {
      shortages.push({
        variantId: r.variant_id,
        sku: v.sku,
        requested: r.quantity,
        available: Math.max(0, v.stock_on_hand),
      });
    }
  }
  if (shortages.length > 0) return shortages;
  await rows(
    conn,
    sql`UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - r.quantity, updated_at = now()
        FROM stock_reservations r
        WHERE r.order_id = ${orderId} AND r.state IN ('held', 'released') AND v.id = r.variant_id`,
  );
  await rows(
    conn,
    sql`UPDATE stock_reservations SET state = 'committed'
        WHERE order_id = ${orderId} AND state IN ('held', 'released')`,
  );
  return [];
}

/** Frees what a pending order holds. */
export async function releaseStock(conn: Queryable, orderId: string): Promise<void> {
  await rows(
    conn,
    sql`UPDATE stock_reservations SET state = 'released' WHERE order_id = ${orderId} AND state = 'held'`,
  );
}

/** Puts a paid order's sold units back on the shelf (canceled before it shipped). */
export async function restock(conn: Queryable, orderId: string): Promise<void> {
  const committed = await rows<Pick<StockReservationRow, 'variant_id'>>(
    conn,
    sql`SELECT variant_id FROM stock_reservations WHERE order_id = ${orderId} AND state = 'committed'`,
  );
  if (committed.length === 0) return;
  await lockVariants(
    conn,
    committed.map((r) => r.variant_id),
  );
  await rows(
    conn,
    sql`UPDATE product_variants v SET stock_on_hand = v.stock_on_hand + r.quantity, updated_at = now()
        FROM stock_reservations r
        WHERE r.order_id = ${orderId} AND r.state = 'committed' AND v.id = r.variant_id`,
  );
  await rows(
    conn,
    sql`UPDATE stock_reservations SET state = 'released' WHERE order_id = ${orderId} AND state = 'committed'`,
  );
}

/** Locks the variants of a checkout and reports what cannot be sold. */
export async function lockAndCheck(
  conn: Queryable,
  wanted: Map<string, number>,
): Promise<{ shortages: Shortage[] }> {
  const variants = await lockVariants(conn, [...wanted.keys()]);
  return { shortages: await findShortages(conn, wanted, variants) };
}
