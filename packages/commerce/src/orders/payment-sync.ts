import { type Database, type Queryable, rows, sql } from '@e3d/db';
import type { Payment } from '@e3d/payments';
import { commitStock, releaseStock } from '../inventory/stock.ts';
import { type CommerceContext, emitOrderEvent, queueOrderEmail } from './notify.ts';
import {
  type Actor,
  lockOrder,
  type Order,
  recordOrderEvent,
  returnPromotionUse,
  transitionOrder,
  updateOrder,
} from './order-store.ts';

/** Money the order must give back after the transaction: the payment outlived the order. */
export type PaymentFollowUp = { kind: 'refund' } | { kind: 'void' } | null;

export type PaymentUpdate = Pick<Payment, 'id' | 'status' | 'amountCaptured'> & {
  declineCode?: string | undefined;
};

const SETTLED: ReadonlySet<string> = new Set(['succeeded', 'requires_capture']);

/**
 * Applies what the provider says about an order's payment — from checkout's own call, a
 * webhook, or a status check — to the locked order. Idempotent and order-independent: a
 * webhook that arrives before checkout's answer, or twice, leaves the same result. Returns a
 * follow-up when money must go back (the order was canceled, or stock ran out meanwhile).
 */
export async function applyPayment(
  conn: Queryable,
  ctx: CommerceContext,
  order: Order,
  payment: PaymentUpdate,
  actor: Actor,
): Promise<PaymentFollowUp> {
  if (order.payment_id && order.payment_id !== payment.id) return null;
  if (!order.payment_id) {
    await updateOrder(conn, order.id, { payment_id: payment.id });
    order.payment_id = payment.id;
  }
  const authorized = payment.status === 'requires_capture';
  if (SETTLED.has(payment.status)) {
    const revivable =
      order.status === 'canceled' &&
      order.cancel_reason === 'reservation_expired' &&
      (order.payment_status === 'pending' || order.payment_status === 'requires_action');
    if (order.status === 'pending' || revivable) {
      const shortages = await commitStock(conn, order.id);
      if (shortages.length > 0) {
        if (order.status === 'pending') {
          await releaseStock(conn, order.id);
          await returnPromotionUse(conn, order);
          await transitionOrder(
            conn,
            order,
            'canceled',
            { type: 'canceled', actor, data: { reason: 'out_of_stock', shortages } },
            { cancel_reason: 'out_of_stock', payment_status: authorized ? 'authorized' : 'captured' },
          );
          await queueOrderEmail(conn, ctx, order, {
            kind: 'canceled',
            reason:
              'An item sold out while your payment was being confirmed. Your payment is returned in full.',
          });
          await emitOrderEvent(conn, 'order.canceled', order);
        }
        return authorized ? { kind: 'void' } : { kind: 'refund' };
      }
      const set = {
        payment_status: authorized ? 'authorized' : 'captured',
        amount_captured: authorized ? 0 : payment.amountCaptured,
        reserved_until: null,
      };
      if (revivable) {
        await updateOrder(conn, order.id, {
          ...set,
          status: 'paid',
          paid_at: new Date().toISOString(),
          cancel_reason: null,
          canceled_at: null,
        });
        if (order.promotion_id) {
          await rows(
            conn,
            sql`UPDATE promotions SET used_count = used_count + 1 WHERE id = ${order.promotion_id}`,
          );
        }
        await recordOrderEvent(conn, order.id, {
          type: 'paid',
          from: 'canceled',
          to: 'paid',
          actor,
          data: {
            paymentId: payment.id,
            authorized,
            note: 'paid after the reservation lapsed; stock was still there',
          },
        });
        order.status = 'paid';
      } else {
        await transitionOrder(
          conn,
          order,
          'paid',
          { type: 'paid', actor, data: { paymentId: payment.id, authorized } },
          set,
        );
      }
      if (order.cart_id) {
        await rows(
          conn,
          sql`UPDATE carts SET status = 'ordered', updated_at = now() WHERE id = ${order.cart_id} AND status = 'active'`,
        );
      }
      await queueOrderEmail(conn, ctx, order, { kind: 'confirmation' });
      await emitOrderEvent(conn, 'order.paid', order);
      return null;
    }
    if (
      order.status === 'canceled' &&
      !['refunded', 'canceled', 'captured', 'authorized'].includes(order.payment_status)
    ) {
      await recordOrderEvent(conn, order.id, {
        type: 'payment_after_cancel',
        actor,
        data: { paymentId: payment.id, status: payment.status },
      });
      await updateOrder(conn, order.id, { payment_status: authorized ? 'authorized' : 'captured' });
      return authorized ? { kind: 'void' } : { kind: 'refund' };
    }
    if (
      payment.status === 'succeeded' &&
      order.payment_status === 'authorized' &&
      order.status !== 'canceled'
    ) {
      await updateOrder(conn, order.id, {
        payment_status: 'captured',
        amount_captured: payment.amountCaptured,
      });
      await recordOrderEvent(conn, order.id, {
        type: 'captured',
        actor,
        data: { amount: payment.amountCaptured },
      });
    }
    return null;
  }
  if (payment.status === 'requires_action') {
    if (order.status === 'pending' && order.payment_status === 'pending') {
      await updateOrder(conn, order.id, { payment_status: 'requires_action' });
      await recordOrderEvent(conn, order.id, {
        type: 'payment_requires_action',
        actor,
        data: { paymentId: payment.id },
      });
    }
    return null;
  }
  if ((payment.status === 'declined' || payment.status === 'canceled') && order.status === 'pending') {
    await releaseStock(conn, order.id);
    await returnPromotionUse(conn, order);
    await transitionOrder(
      conn,
      order,
      'canceled',
      {
        type: 'payment_failed',
        actor,
        data: { paymentId: payment.id, status: payment.status, declineCode: payment.declineCode ?? null },
      },
      {
        payment_status: payment.status,
        cancel_reason: payment.status === 'declined' ? 'payment_declined' : 'payment_canceled',
        reserved_until: null,
      },
    );
  }
  return null;
}

/**
 * Gives money back for a payment that outlived its order: refunds a capture in full or voids an
 * authorization, then records it. Safe to repeat (the provider call carries an idempotency key).
 */
export async function runPaymentFollowUp(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  paymentId: string,
  followUp: PaymentFollowUp,
): Promise<void> {
  if (!followUp) return;
  if (followUp.kind === 'void') {
    await ctx.payments.cancel(paymentId);
    await db.transaction(async (conn) => {
      await lockOrder(conn, orderId);
      await updateOrder(conn, orderId, { payment_status: 'canceled' });
      await recordOrderEvent(conn, orderId, {
        type: 'payment_voided',
        actor: { type: 'system' },
        data: { paymentId },
      });
    });
    return;
  }
  const refund = await ctx.payments.refund(paymentId, undefined, {
    idempotencyKey: `auto-refund:${orderId}`,
  });
  await db.transaction(async (conn) => {
    const order = await lockOrder(conn, orderId);
    const inserted = await rows(
      conn,
      sql`INSERT INTO order_refunds (order_id, provider_refund_id, amount, status, reason)
          VALUES (${orderId}, ${refund.id}, ${refund.amount}, ${refund.status}, 'automatic: the order was canceled')
          ON CONFLICT (provider_refund_id) DO NOTHING RETURNING id`,
    );
    if (inserted.length === 0) return;
    await updateOrder(conn, orderId, {
      amount_captured: Math.min(order.grand_total, Math.max(order.amount_captured, refund.amount)),
      amount_refunded: refund.amount,
      payment_status: 'refunded',
    });
    await recordOrderEvent(conn, orderId, {
      type: 'refund',
      actor: { type: 'system' },
      data: { amount: refund.amount, refundId: refund.id, automatic: true },
    });
  });
}
