import { type Database, type OrderRow, type Queryable, rows, sql } from '@e3d/db';
import { type Payment, PaymentError } from '@e3d/payments';
import { releaseStock } from '../inventory/stock.ts';
import type { CommerceContext } from './notify.ts';
import {
  lockOrder,
  type Order,
  paymentKeyOf,
  returnPromotionUse,
  transitionOrder,
  updateOrder,
} from './order-store.ts';
import { applyPayment, type PaymentFollowUp, runPaymentFollowUp } from './payment-sync.ts';

/** The worker runs this every so often; how often lapsed orders are tidied, not when stock frees. */
export const EXPIRE_INTERVAL_MS = 30_000;

export interface ExpireResult {
  /** Canceled: no money was taken (or what was authorized is voided). */
  canceled: number;
  /** The provider had taken the money: the order is paid, or canceled and refunded when stock ran out. */
  settled: number;
  /** Left pending: the provider did not answer, or the payment is still processing. */
  deferred: number;
}

/**
 * Tidies pending orders whose stock reservation lapsed (availability never waits for this — a
 * lapsed reservation stops counting at its `expires_at`). Before canceling one it asks the
 * provider about its payment, by payment id or, when the checkout died before writing the
 * provider's answer, by the order's payment key: money taken completes the order (or is
 * refunded when the stock has gone), an open authentication is canceled at the provider, and
 * an order is never canceled while the provider cannot say what happened to its payment.
 */
export async function expireLapsedOrders(
  db: Database,
  ctx: CommerceContext,
  options: { limit?: number; onError?: (orderId: string, error: unknown) => void } = {},
): Promise<ExpireResult> {
  const due = await rows<Pick<OrderRow, 'id' | 'payment_id'> & { provider: string; asked: boolean }>(
    db,
    sql`SELECT o.id, o.payment_id, o.payment_provider AS provider,
          (o.payment_provider <> 'none' AND (o.payment_id IS NOT NULL OR EXISTS (
            SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.type = 'payment_requested'))) AS asked
        FROM orders o WHERE o.status = 'pending' AND o.reserved_until <= now()
        ORDER BY o.reserved_until LIMIT ${options.limit ?? 500}`,
  );
  const result: ExpireResult = { canceled: 0, settled: 0, deferred: 0 };
  for (const order of due) {
    try {
      if (order.asked && order.provider !== ctx.payments.name) {
        // Only the provider that took the payment can say whether it did.
        throw new Error(`the order was paid through ${order.provider}, which this process is not set up for`);
      }
      const payment = order.asked ? await askProvider(ctx, order.id, order.payment_id) : null;
      const outcome = await settleLapsed(db, ctx, order.id, payment);
      if (outcome) result[outcome] += 1;
    } catch (error) {
      result.deferred += 1;
      options.onError?.(order.id, error);
    }
  }
  return result;
}

async function askProvider(ctx: CommerceContext, orderId: string, paymentId: string | null) {
  if (paymentId) return ctx.payments.getPayment(paymentId);
  return ctx.payments.findPayment({ orderId, idempotencyKey: paymentKeyOf(orderId) });
}

/** Releases what the shopper never finished paying for; an open authentication is voided first. */
async function settleLapsed(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  payment: Payment | null,
): Promise<keyof ExpireResult | null> {
  if (payment?.status === 'processing') return 'deferred';
  if (payment?.status === 'requires_action') {
    try {
      payment = await ctx.payments.cancel(payment.id);
    } catch (error) {
      // It succeeded between the two calls: settle it as money taken.
      if (!(error instanceof PaymentError && error.code === 'invalid_state')) throw error;
      payment = await ctx.payments.getPayment(payment.id);
    }
  }
  const taken = payment && (payment.status === 'succeeded' || payment.status === 'requires_capture');
  let followUp: PaymentFollowUp = null;
  const outcome = await db.transaction(async (conn): Promise<keyof ExpireResult | null> => {
    const order = await lockOrder(conn, orderId);
    if (order.status !== 'pending') return null;
    if (payment && taken) {
      followUp = await applyPayment(conn, ctx, order, payment, { type: 'system' });
      return 'settled';
    }
    const [lapsed] = await rows<{ lapsed: boolean }>(
      conn,
      sql`SELECT reserved_until <= now() AS lapsed FROM orders WHERE id = ${orderId}`,
    );
    if (!lapsed?.lapsed) return null;
    if (payment && !order.payment_id) await updateOrder(conn, orderId, { payment_id: payment.id });
    await cancelLapsed(conn, order, payment);
    return 'canceled';
  });
  if (payment && followUp) await runPaymentFollowUp(db, ctx, orderId, payment.id, followUp);
  return outcome;
}

async function cancelLapsed(conn: Queryable, order: Order, payment: Payment | null) {
  await releaseStock(conn, order.id);
  await returnPromotionUse(conn, order);
  await transitionOrder(
    conn,
    order,
    'canceled',
    {
      type: 'canceled',
      actor: { type: 'system' },
      data: {
        reason: 'the reservation lapsed before payment',
        ...(payment ? { paymentId: payment.id, paymentStatus: payment.status } : {}),
      },
    },
    {
      cancel_reason: 'reservation_expired',
      ...(payment?.status === 'canceled' || payment?.status === 'declined'
        ? { payment_status: payment.status }
        : {}),
    },
  );
}
