import { randomUUID } from 'node:crypto';
import {
  type Database,
  type OrderRefundRow,
  type PaymentWebhookEventRow,
  type Queryable,
  rows,
  sql,
} from '@e3d/db';
import { PaymentError, type WebhookEvent } from '@e3d/payments';
import { CommerceError } from '../errors.ts';
import { releaseStock, restock } from '../inventory/stock.ts';
import { type CommerceContext, emitOrderEvent, type OrderEmailKind, queueOrderEmail } from './notify.ts';
import {
  type Actor,
  assertTransition,
  findOrderAwaitingPayment,
  findOrderByPayment,
  lockOrder,
  type Order,
  recordOrderEvent,
  returnPromotionUse,
  transitionOrder,
  updateOrder,
} from './order-store.ts';
import { applyPayment, runPaymentFollowUp } from './payment-sync.ts';

/**
 * What staff do to an order. Each action is validated against the order's state, talks to the
 * payment provider outside any transaction, and writes the outcome, its history entry, the
 * shopper's email and the outbound event in one transaction.
 */

function providerFailure(error: unknown): CommerceError {
  if (error instanceof PaymentError) {
    const status = error.code === 'payment_not_found' || error.code === 'invalid_state' ? 409 : 502;
    return new CommerceError(status, `payment_${error.code}`, error.message);
  }
  return new CommerceError(502, 'payment_provider_unavailable', (error as Error).message);
}

const refundable = (order: Order, pending: number) => order.amount_captured - order.amount_refunded - pending;

/** Captures an authorized payment (manual capture), in full or `amount` of it. */
export async function captureOrder(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  actor: Actor,
  amount?: number,
): Promise<void> {
  const order = await db.transaction((conn) => lockOrder(conn, orderId));
  if (order.payment_status !== 'authorized' || !order.payment_id || order.status === 'canceled') {
    throw CommerceError.conflict(
      'not_capturable',
      `The payment is ${order.payment_status}; only authorized payments are captured.`,
    );
  }
  if (amount !== undefined && amount > order.grand_total) {
    throw new CommerceError(400, 'amount_too_large', `At most ${order.grand_total} can be captured.`);
  }
  const payment = await ctx.payments.capture(order.payment_id, amount).catch((e) => {
    throw providerFailure(e);
  });
  await db.transaction(async (conn) => {
    const locked = await lockOrder(conn, orderId);
    await applyPayment(conn, ctx, locked, payment, actor);
  });
}

/**
 * Refunds `amount` (default: all that is left) through the provider. Partial refunds keep the
 * order's status; the one that returns the last of the money makes it `refunded` (and, for an
 * order that never shipped, puts its stock back).
 */
export async function refundOrder(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  actor: Actor,
  request: { amount?: number | undefined; reason?: string | undefined },
): Promise<{ refundId: string; amount: number }> {
  const pendingRefund = await db.transaction(async (conn) => {
    const order = await lockOrder(conn, orderId);
    if (!['paid', 'fulfilled', 'delivered'].includes(order.status) || order.payment_status === 'authorized') {
      throw CommerceError.conflict(
        'not_refundable',
        order.payment_status === 'authorized'
          ? 'The payment is only authorized: cancel the order to release it, or capture first.'
          : `An order that is ${order.status} cannot be refunded.`,
      );
    }
    const left = refundable(order, await pendingRefunds(conn, orderId));
    const amount = request.amount ?? left;
    if (amount <= 0 || amount > left) {
      throw CommerceError.conflict('refund_exceeds_captured', `At most ${left} can be refunded.`, {
        refundable: left,
      });
    }
    const [row] = await rows<Pick<OrderRefundRow, 'id'>>(
      conn,
      sql`INSERT INTO order_refunds (order_id, amount, status, reason, staff_id)
          VALUES (${orderId}, ${amount}, 'pending', ${request.reason ?? null}, ${actor.type === 'staff' ? actor.id : null})
          RETURNING id`,
    );
    return { id: row?.id ?? '', amount, paymentId: order.payment_id as string };
  });
  let refund: Awaited<ReturnType<CommerceContext['payments']['refund']>>;
  try {
    refund = await ctx.payments.refund(pendingRefund.paymentId, pendingRefund.amount, {
      idempotencyKey: `refund-${pendingRefund.id}`,
    });
  } catch (error) {
    await rows(db, sql`UPDATE order_refunds SET status = 'failed' WHERE id = ${pendingRefund.id}`);
    throw providerFailure(error);
  }
  await db.transaction(async (conn) => {
    const order = await lockOrder(conn, orderId);
    await rows(
      conn,
      sql`UPDATE order_refunds SET provider_refund_id = ${refund.id},
            status = ${refund.status === 'failed' ? 'failed' : refund.status}
          WHERE id = ${pendingRefund.id}`,
    );
    if (refund.status === 'failed') return;
    await settleRefund(conn, ctx, order, { id: pendingRefund.id, amount: refund.amount }, actor);
  });
  if (refund.status === 'failed') {
    throw new CommerceError(502, 'refund_failed', 'The payment provider refused the refund.');
  }
  return { refundId: pendingRefund.id, amount: refund.amount };
}

/** What refunds of the order still wait on the provider's answer. */
async function pendingRefunds(conn: Queryable, orderId: string): Promise<number> {
  const [inFlight] = await rows<{ pending: number }>(
    conn,
    sql`SELECT coalesce(sum(amount), 0)::int AS pending FROM order_refunds
        WHERE order_id = ${orderId} AND status = 'pending'`,
  );
  return inFlight?.pending ?? 0;
}

async function settleRefund(
  conn: Queryable,
  ctx: CommerceContext,
  order: Order,
  refund: { id: string; amount: number },
  actor: Actor,
): Promise<void> {
  const totalRefunded = order.amount_refunded + refund.amount;
  const full = totalRefunded >= order.amount_captured;
  await updateOrder(conn, order.id, {
    amount_refunded: totalRefunded,
    payment_status: full ? 'refunded' : 'partially_refunded',
  });
  await recordOrderEvent(conn, order.id, {
    type: 'refund',
    actor,
    data: { refundId: refund.id, amount: refund.amount, totalRefunded, full },
  });
  if (full) {
    if (order.status === 'paid') await restock(conn, order.id);
    await transitionOrder(conn, order, 'refunded', { type: 'refunded', actor });
  }
  await queueOrderEmail(conn, ctx, order, {
    kind: 'refund',
    refund: { id: refund.id, amount: refund.amount, totalRefunded, full },
  });
  await emitOrderEvent(conn, 'order.refunded', order);
}

/** Ships the order: records tracking, captures an authorized payment first, emails the shopper. */
export async function fulfilOrder(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  actor: Actor,
  tracking: { number?: string | undefined; carrier?: string | undefined; url?: string | undefined },
): Promise<void> {
  const order = await db.transaction((conn) => lockOrder(conn, orderId));
  assertTransition(order.status, 'fulfilled');
  if (order.payment_status === 'authorized') await captureOrder(db, ctx, orderId, actor);
  await db.transaction(async (conn) => {
    const locked = await lockOrder(conn, orderId);
    await transitionOrder(
      conn,
      locked,
      'fulfilled',
      { type: 'fulfilled', actor, data: { tracking } },
      {
        tracking_number: tracking.number ?? null,
        tracking_carrier: tracking.carrier ?? null,
        tracking_url: tracking.url ?? null,
      },
    );
    await queueOrderEmail(conn, ctx, locked, { kind: 'shipped' });
    await emitOrderEvent(conn, 'order.fulfilled', locked);
  });
}

export async function markDelivered(db: Database, orderId: string, actor: Actor): Promise<void> {
  await db.transaction(async (conn) => {
    const order = await lockOrder(conn, orderId);
    await transitionOrder(conn, order, 'delivered', { type: 'delivered', actor });
    await emitOrderEvent(conn, 'order.delivered', order);
  });
}

/**
 * Cancels a pending or paid (not yet shipped) order: an authorization is voided, what is left of
 * captured money refunded, held or sold stock put back, and the shopper told (when they had paid).
 * The money moves while the order row is locked, so a fulfilment racing the cancel either ships
 * first (and the cancel is refused before any refund) or waits and finds the order canceled.
 */
export async function cancelOrder(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  actor: Actor,
  reason: string,
): Promise<void> {
  await db.transaction(async (conn) => {
    const locked = await lockOrder(conn, orderId);
    assertTransition(locked.status, 'canceled');
    const paymentId = locked.payment_id;
    let paymentStatus: string | null = null;
    if (paymentId && ['captured', 'partially_refunded'].includes(locked.payment_status)) {
      const left = refundable(locked, await pendingRefunds(conn, orderId));
      if (left > 0) {
        const refund = await ctx.payments
          .refund(paymentId, left, { idempotencyKey: `cancel-refund-${orderId}` })
          .catch((e) => {
            throw providerFailure(e);
          });
        await rows(
          conn,
          sql`INSERT INTO order_refunds (order_id, provider_refund_id, amount, status, reason, staff_id)
              VALUES (${orderId}, ${refund.id}, ${refund.amount}, ${refund.status}, ${`canceled: ${reason}`},
                ${actor.type === 'staff' ? actor.id : null})
              ON CONFLICT (provider_refund_id) DO NOTHING`,
        );
        await updateOrder(conn, orderId, { amount_refunded: locked.amount_refunded + refund.amount });
        await recordOrderEvent(conn, orderId, {
          type: 'refund',
          actor,
          data: { refundId: refund.id, amount: refund.amount, full: true, reason: 'order canceled' },
        });
      }
      paymentStatus = 'refunded';
    } else if (paymentId && ['authorized', 'requires_action', 'pending'].includes(locked.payment_status)) {
      await ctx.payments.cancel(paymentId).catch((e) => {
        throw providerFailure(e);
      });
      paymentStatus = 'canceled';
    } else if (!paymentId && locked.payment_status === 'pending') {
      paymentStatus = 'canceled';
    }
    const wasPaid = locked.status === 'paid';
    if (wasPaid) await restock(conn, orderId);
    else {
      await releaseStock(conn, orderId);
      await returnPromotionUse(conn, locked);
    }
    await transitionOrder(
      conn,
      locked,
      'canceled',
      { type: 'canceled', actor, data: { reason } },
      {
        cancel_reason: reason,
        reserved_until: null,
        ...(paymentStatus ? { payment_status: paymentStatus } : {}),
      },
    );
    if (wasPaid) await queueOrderEmail(conn, ctx, locked, { kind: 'canceled', reason });
    await emitOrderEvent(conn, 'order.canceled', locked);
  });
}

/** Sends an order email again (a new key, so the mail queue's send-once rule lets it through). */
export async function resendOrderEmail(
  db: Database,
  ctx: CommerceContext,
  orderId: string,
  kind: 'confirmation' | 'shipped' | 'canceled' | 'refund',
): Promise<void> {
  await db.transaction(async (conn) => {
    const order = await lockOrder(conn, orderId);
    let email: OrderEmailKind;
    if (kind === 'confirmation') {
      if (order.status === 'pending')
        throw CommerceError.conflict('email_not_applicable', 'The order is not paid yet.');
      email = { kind };
    } else if (kind === 'shipped') {
      if (!order.fulfilled_at)
        throw CommerceError.conflict('email_not_applicable', 'The order has not shipped.');
      email = { kind };
    } else if (kind === 'canceled') {
      if (order.status !== 'canceled')
        throw CommerceError.conflict('email_not_applicable', 'The order is not canceled.');
      email = { kind, reason: order.cancel_reason ?? '' };
    } else {
      const [last] = await rows<Pick<OrderRefundRow, 'id' | 'amount'>>(
        conn,
        sql`SELECT id, amount FROM order_refunds WHERE order_id = ${orderId} AND status = 'succeeded'
            ORDER BY created_at DESC, id DESC LIMIT 1`,
      );
      if (!last) throw CommerceError.conflict('email_not_applicable', 'Nothing was refunded.');
      email = {
        kind,
        refund: {
          id: last.id,
          amount: last.amount,
          totalRefunded: order.amount_refunded,
          full: order.amount_refunded >= order.amount_captured,
        },
      };
    }
    await queueOrderEmail(conn, ctx, order, email, { resendId: randomUUID() });
  });
}

const PAYMENT_EVENT_STATUS: Partial<
  Record<WebhookEvent['type'], 'succeeded' | 'requires_capture' | 'requires_action' | 'declined' | 'canceled'>
> = {
  'payment.succeeded': 'succeeded',
  'payment.authorized': 'requires_capture',
  'payment.requires_action': 'requires_action',
  'payment.failed': 'declined',
  'payment.canceled': 'canceled',
};

/**
 * Applies a verified provider webhook once: its id is recorded in the same transaction as its
 * effect, so a replay (or the provider's own retry) finds it and changes nothing. Returns
 * `duplicate` for a replay and `unknown_payment` when no order has the payment yet (the
 * provider retries later, by when checkout has recorded it).
 */
export async function applyPaymentWebhook(
  db: Database,
  ctx: CommerceContext,
  event: WebhookEvent,
): Promise<'applied' | 'duplicate' | 'ignored' | 'unknown_payment'> {
  const provider = ctx.payments.name;
  const followUps: { orderId: string; paymentId: string; kind: Awaited<ReturnType<typeof applyPayment>> }[] =
    [];
  const outcome = await db.transaction(async (conn) => {
    const [seen] = await rows<Pick<PaymentWebhookEventRow, 'event_id'>>(
      conn,
      sql`SELECT event_id FROM payment_webhook_events WHERE provider = ${provider} AND event_id = ${event.id}`,
    );
    if (seen) return 'duplicate' as const;
    let order = event.paymentId ? await findOrderByPayment(conn, provider, event.paymentId) : null;
    if (!order && event.paymentId && event.orderId && PAYMENT_EVENT_STATUS[event.type]) {
      order = await findOrderAwaitingPayment(conn, provider, event.orderId);
    }
    if (event.paymentId && !order && event.type !== 'other') return 'unknown_payment' as const;
    const inserted = await rows(
      conn,
      sql`INSERT INTO payment_webhook_events (provider, event_id, type) VALUES (${provider}, ${event.id}, ${event.providerType})
          ON CONFLICT DO NOTHING RETURNING 1`,
    );
    if (inserted.length === 0) return 'duplicate' as const;
    if (!order) return 'ignored' as const;
    const actor: Actor = { type: 'provider', id: event.id };
    const status = PAYMENT_EVENT_STATUS[event.type];
    if (status) {
      const kind = await applyPayment(
        conn,
        ctx,
        order,
        {
          id: event.paymentId as string,
          status,
          amountCaptured: status === 'succeeded' ? event.amount : 0,
          declineCode: event.declineCode,
        },
        actor,
      );
      if (kind) followUps.push({ orderId: order.id, paymentId: event.paymentId as string, kind });
      return 'applied' as const;
    }
    if (
      event.type === 'refund.succeeded' ||
      event.type === 'refund.failed' ||
      event.type === 'refund.pending'
    ) {
      await applyRefundEvent(conn, ctx, order, event, actor);
      return 'applied' as const;
    }
    return 'ignored' as const;
  });
  for (const f of followUps) await runPaymentFollowUp(db, ctx, f.orderId, f.paymentId, f.kind);
  return outcome;
}

/** A refund made here is already recorded; one made in the provider's dashboard is recorded now. */
async function applyRefundEvent(
  conn: Queryable,
  ctx: CommerceContext,
  order: Order,
  event: WebhookEvent,
  actor: Actor,
): Promise<void> {
  const status =
    event.type === 'refund.succeeded' ? 'succeeded' : event.type === 'refund.failed' ? 'failed' : 'pending';
  const [known] = await rows<Pick<OrderRefundRow, 'id' | 'status' | 'amount'>>(
    conn,
    sql`SELECT id, status, amount FROM order_refunds WHERE provider_refund_id = ${event.refundId ?? ''}`,
  );
  if (known) {
    if (known.status === status) return;
    await rows(conn, sql`UPDATE order_refunds SET status = ${status} WHERE id = ${known.id}`);
    if (status === 'failed' && known.status === 'succeeded') {
      await updateOrder(conn, order.id, {
        amount_refunded: Math.max(0, order.amount_refunded - known.amount),
        payment_status: order.amount_refunded - known.amount > 0 ? 'partially_refunded' : 'captured',
      });
      await recordOrderEvent(conn, order.id, { type: 'refund_failed', actor, data: { refundId: known.id } });
    }
    return;
  }
  if (status !== 'succeeded' || !event.refundId) return;
  // Ours, with the provider's answer not written yet: refundOrder settles it.
  const [inFlight] = await rows(
    conn,
    sql`SELECT 1 FROM order_refunds
        WHERE order_id = ${order.id} AND status = 'pending' AND provider_refund_id IS NULL AND amount = ${event.amount}`,
  );
  if (inFlight) return;
  if (order.amount_refunded + event.amount > order.amount_captured) return;
  const [row] = await rows<Pick<OrderRefundRow, 'id'>>(
    conn,
    sql`INSERT INTO order_refunds (order_id, provider_refund_id, amount, status, reason)
        VALUES (${order.id}, ${event.refundId}, ${event.amount}, 'succeeded', 'made at the payment provider')
        RETURNING id`,
  );
  if (!['paid', 'fulfilled', 'delivered'].includes(order.status)) {
    await updateOrder(conn, order.id, { amount_refunded: order.amount_refunded + event.amount });
    return;
  }
  await settleRefund(conn, ctx, order, { id: row?.id ?? '', amount: event.amount }, actor);
}
