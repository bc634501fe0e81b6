import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Iso, iso, type OrderRow, type Queryable, rows, sql } from '@e3d/db';
import { orderStatus, paymentStatus } from '@e3d/db/schema';
import { CommerceError } from '../errors.ts';

/** The statuses as the database enums define them (one list, in the schema). */
export const ORDER_STATUSES = orderStatus.enumValues;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const PAYMENT_STATUSES = paymentStatus.enumValues;
export type OrderPaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * The order lifecycle. pending → paid (payment captured or authorized) → fulfilled (shipped,
 * with tracking) → delivered; pending or paid → canceled; paid, fulfilled or delivered →
 * refunded (in full; partial refunds keep the status). Anything else is refused.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'canceled'],
  paid: ['fulfilled', 'canceled', 'refunded'],
  fulfilled: ['delivered', 'refunded'],
  delivered: ['refunded'],
  canceled: [],
  refunded: [],
};

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!ORDER_TRANSITIONS[from].includes(to)) {
    throw CommerceError.conflict('invalid_transition', `An order that is ${from} cannot become ${to}.`, {
      from,
      to,
      allowed: ORDER_TRANSITIONS[from],
    });
  }
}

export type Actor =
  | { type: 'customer'; id: string | null }
  | { type: 'staff'; id: string }
  | { type: 'system' }
  | { type: 'provider'; id: string };

/** An order as ORDER_COLUMNS reads it: the number as an int, timestamps as ISO 8601 strings. */
export type Order = Iso<Omit<OrderRow, 'number' | 'access_token_hash'>> & { number: number };

const ts = (column: string) => {
  const name = sql.identifier(column);
  return sql`${iso(sql`${name}`)} AS ${name}`;
};

export const ORDER_COLUMNS = sql`id, number::int AS number, cart_id, customer_id, email, status, payment_status,
  currency, prices_include_tax, subtotal, discount_total, shipping_total, shipping_tax, tax_total, grand_total,
  amount_captured, amount_refunded, shipping_address, shipping_method, promotion_id, promotion_code,
  payment_provider, payment_id, tracking_number, tracking_carrier, tracking_url, cancel_reason,
  ${ts('reserved_until')}, ${ts('placed_at')}, ${ts('paid_at')}, ${ts('fulfilled_at')}, ${ts('delivered_at')},
  ${ts('canceled_at')}, ${ts('updated_at')}, version`;

/** Loads and locks an order for a change; 404 when there is none. */
export async function lockOrder(conn: Queryable, orderId: string): Promise<Order> {
  const [row] = await rows<Order>(
    conn,
    sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ${orderId} FOR UPDATE`,
  );
  if (!row) throw CommerceError.notFound('order_not_found', `No order ${orderId}.`);
  return row;
}

export async function findOrder(conn: Queryable, orderId: string): Promise<Order | null> {
  const [row] = await rows<Order>(conn, sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ${orderId}`);
  return row ?? null;
}

export async function findOrderByPayment(
  conn: Queryable,
  provider: string,
  paymentId: string,
): Promise<Order | null> {
  const [row] = await rows<Order>(
    conn,
    sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE payment_provider = ${provider} AND payment_id = ${paymentId} FOR UPDATE`,
  );
  return row ?? null;
}

/** The provider idempotency key of an order's payment: one charge per order, whoever retries. */
export const paymentKeyOf = (orderId: string) => `order-${orderId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The order a payment was made for (the order id in the payment's metadata), while it has no
 * payment recorded: the process that charged it died before writing the provider's answer.
 */
export async function findOrderAwaitingPayment(
  conn: Queryable,
  provider: string,
  orderId: string,
): Promise<Order | null> {
  if (!UUID.test(orderId)) return null;
  const [row] = await rows<Order>(
    conn,
    sql`SELECT ${ORDER_COLUMNS} FROM orders
        WHERE id = ${orderId} AND payment_provider = ${provider} AND payment_id IS NULL FOR UPDATE`,
  );
  return row ?? null;
}

/** Appends to the order's history on the caller's connection (it commits with the change). */
export async function recordOrderEvent(
  conn: Queryable,
  orderId: string,
  event: {
    type: string;
    from?: OrderStatus | null;
    to?: OrderStatus | null;
    actor: Actor;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await rows(
    conn,
    sql`INSERT INTO order_events (order_id, type, from_status, to_status, actor_type, actor_id, data)
        VALUES (${orderId}, ${event.type}, ${event.from ?? null}, ${event.to ?? null}, ${event.actor.type},
          ${'id' in event.actor ? event.actor.id : null}, ${JSON.stringify(event.data ?? {})}::jsonb)`,
  );
}

/**
 * Moves an order to `to` (validated against ORDER_TRANSITIONS), stamping the matching
 * timestamp, and records it. `set` adds column updates (see updateOrder).
 */
export async function transitionOrder(
  conn: Queryable,
  order: Order,
  to: OrderStatus,
  event: { type: string; actor: Actor; data?: Record<string, unknown> },
  set: Record<string, unknown> = {},
): Promise<void> {
  assertTransition(order.status, to);
  const stamp: Partial<Record<OrderStatus, string>> = {
    paid: 'paid_at',
    fulfilled: 'fulfilled_at',
    delivered: 'delivered_at',
    canceled: 'canceled_at',
  };
  await updateOrder(conn, order.id, {
    ...set,
    status: to,
    ...(stamp[to] ? { [stamp[to]]: new Date().toISOString() } : {}),
  });
  await recordOrderEvent(conn, order.id, { ...event, from: order.status, to });
  order.status = to;
}

const UPDATABLE = new Set([
  'status',
  'payment_status',
  'amount_captured',
  'amount_refunded',
  'payment_id',
  'tracking_number',
  'tracking_carrier',
  'tracking_url',
  'cancel_reason',
  'reserved_until',
  'paid_at',
  'fulfilled_at',
  'delivered_at',
  'canceled_at',
]);

/** Sets columns of an order and bumps its version. Column names come from code, never input. */
export async function updateOrder(
  conn: Queryable,
  orderId: string,
  set: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(set);
  for (const [column] of entries) {
    if (!UPDATABLE.has(column)) throw new Error(`updateOrder: ${column} is not updatable`);
  }
  const assignments = entries.map(([column, value]) => sql`${sql.identifier(column)} = ${value}`);
  await rows(
    conn,
    sql`UPDATE orders SET ${sql.join([...assignments, sql`updated_at = now()`, sql`version = version + 1`], sql`, `)}
        WHERE id = ${orderId}`,
  );
}

/** Gives a promotion's redemption back (the order never got paid). */
export async function returnPromotionUse(conn: Queryable, order: Order): Promise<void> {
  if (!order.promotion_id) return;
  await rows(
    conn,
    sql`UPDATE promotions SET used_count = greatest(0, used_count - 1) WHERE id = ${order.promotion_id}`,
  );
}

/**
 * The token that lets a guest read their order (in the confirmation page's link and emails):
 * an HMAC of the order id, so nothing secret is stored and it can be rebuilt for an email.
 */
export function orderAccessToken(secret: Uint8Array, orderId: string): string {
  return createHmac('sha256', secret).update(`e3d-order-access:${orderId}`).digest('base64url');
}

export function checkOrderAccessToken(secret: Uint8Array, orderId: string, token: string): boolean {
  const expected = Buffer.from(orderAccessToken(secret, orderId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
