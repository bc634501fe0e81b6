import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Connection } from '@e3d/db';
import { orderStatus, paymentStatus } from '@e3d/db/schema';
import type { ShippingAddress } from '../cart/cart.ts';
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

export interface OrderRow {
  id: string;
  number: number;
  cart_id: string | null;
  customer_id: string | null;
  email: string;
  status: OrderStatus;
  payment_status: OrderPaymentStatus;
  currency: string;
  prices_include_tax: boolean;
  subtotal: number;
  discount_total: number;
  shipping_total: number;
  shipping_tax: number;
  tax_total: number;
  grand_total: number;
  amount_captured: number;
  amount_refunded: number;
  shipping_address: ShippingAddress;
  shipping_method: { id: string; code: string; name: string } | null;
  promotion_id: string | null;
  promotion_code: string | null;
  payment_provider: string;
  payment_id: string | null;
  tracking_number: string | null;
  tracking_carrier: string | null;
  tracking_url: string | null;
  cancel_reason: string | null;
  reserved_until: string | null;
  placed_at: string;
  paid_at: string | null;
  fulfilled_at: string | null;
  delivered_at: string | null;
  canceled_at: string | null;
  updated_at: string;
  version: number;
}

const ts = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;

export const ORDER_COLUMNS = [
  'id',
  'number::int AS number',
  'cart_id',
  'customer_id',
  'email',
  'status',
  'payment_status',
  'currency',
  'prices_include_tax',
  'subtotal',
  'discount_total',
  'shipping_total',
  'shipping_tax',
  'tax_total',
  'grand_total',
  'amount_captured',
  'amount_refunded',
  'shipping_address',
  'shipping_method',
  'promotion_id',
  'promotion_code',
  'payment_provider',
  'payment_id',
  'tracking_number',
  'tracking_carrier',
  'tracking_url',
  'cancel_reason',
  ts('reserved_until'),
  ts('placed_at'),
  ts('paid_at'),
  ts('fulfilled_at'),
  ts('delivered_at'),
  ts('canceled_at'),
  ts('updated_at'),
  'version',
].join(', ');

/** Loads and locks an order for a change; 404 when there is none. */
export async function lockOrder(conn: Connection, orderId: string): Promise<OrderRow> {
  const [row] = await conn.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 FOR UPDATE`, [
    orderId,
  ]);
  if (!row) throw CommerceError.notFound('order_not_found', `No order ${orderId}.`);
  return row;
}

export async function findOrder(conn: Connection, orderId: string): Promise<OrderRow | null> {
  const [row] = await conn.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`, [orderId]);
  return row ?? null;
}

export async function findOrderByPayment(
  conn: Connection,
  provider: string,
  paymentId: string,
): Promise<OrderRow | null> {
  const [row] = await conn.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE payment_provider = $1 AND payment_id = $2 FOR UPDATE`,
    [provider, paymentId],
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
  conn: Connection,
  provider: string,
  orderId: string,
): Promise<OrderRow | null> {
  if (!UUID.test(orderId)) return null;
  const [row] = await conn.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 AND payment_provider = $2 AND payment_id IS NULL FOR UPDATE`,
    [orderId, provider],
  );
  return row ?? null;
}

/** Appends to the order's history on the caller's connection (it commits with the change). */
export async function recordOrderEvent(
  conn: Connection,
  orderId: string,
  event: {
    type: string;
    from?: OrderStatus | null;
    to?: OrderStatus | null;
    actor: Actor;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await conn.query(
    `INSERT INTO order_events (order_id, type, from_status, to_status, actor_type, actor_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      orderId,
      event.type,
      event.from ?? null,
      event.to ?? null,
      event.actor.type,
      'id' in event.actor ? event.actor.id : null,
      JSON.stringify(event.data ?? {}),
    ],
  );
}

/**
 * Moves an order to `to` (validated against ORDER_TRANSITIONS), stamping the matching
 * timestamp, and records it. `set` adds column updates (`column = $n` with `params`).
 */
export async function transitionOrder(
  conn: Connection,
  order: OrderRow,
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
  conn: Connection,
  orderId: string,
  set: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(set);
  for (const [column] of entries) {
    if (!UPDATABLE.has(column)) throw new Error(`updateOrder: ${column} is not updatable`);
  }
  const assignments = entries.map(([column], i) => `${column} = $${i + 2}`);
  await conn.query(
    `UPDATE orders SET ${[...assignments, 'updated_at = now()', 'version = version + 1'].join(', ')} WHERE id = $1`,
    [orderId, ...entries.map(([, value]) => value)],
  );
}

/** Gives a promotion's redemption back (the order never got paid). */
export async function returnPromotionUse(conn: Connection, order: OrderRow): Promise<void> {
  if (!order.promotion_id) return;
  await conn.query('UPDATE promotions SET used_count = greatest(0, used_count - 1) WHERE id = $1', [
    order.promotion_id,
  ]);
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
