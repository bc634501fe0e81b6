import type { Database } from '@e3d/db';
import { releaseStock } from '../inventory/stock.ts';
import { lockOrder, returnPromotionUse, transitionOrder } from './order-store.ts';

/** The worker runs this every so often; how often lapsed orders are tidied, not when stock frees. */
export const EXPIRE_INTERVAL_MS = 30_000;

/**
 * Cancels pending orders whose stock reservation lapsed (the shopper never finished paying) and
 * marks their reservations released. Availability never waits for this — a lapsed reservation
 * stops counting at its `expires_at` — so it only keeps orders and promotion counts truthful.
 * A payment that still succeeds later revives the order if the stock is there, or is refunded.
 */
export async function expireLapsedOrders(db: Database, options: { limit?: number } = {}): Promise<number> {
  const due = await db.query<{ id: string }>(
    `SELECT id FROM orders WHERE status = 'pending' AND reserved_until <= now() ORDER BY reserved_until LIMIT $1`,
    [options.limit ?? 500],
  );
  let expired = 0;
  for (const { id } of due) {
    await db.transaction(async (conn) => {
      const order = await lockOrder(conn, id);
      if (order.status !== 'pending') return;
      const [lapsed] = await conn.query<{ lapsed: boolean }>(
        'SELECT reserved_until <= now() AS lapsed FROM orders WHERE id = $1',
        [id],
      );
      if (!lapsed?.lapsed) return;
      await releaseStock(conn, id);
      await returnPromotionUse(conn, order);
      await transitionOrder(
        conn,
        order,
        'canceled',
        {
          type: 'canceled',
          actor: { type: 'system' },
          data: { reason: 'the reservation lapsed before payment' },
        },
        { cancel_reason: 'reservation_expired' },
      );
      expired += 1;
    });
  }
  return expired;
}
