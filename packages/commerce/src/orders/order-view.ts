import {
  type Iso,
  iso,
  type OrderEventRow,
  type OrderLineRow,
  type OrderRefundRow,
  type OrderRow,
  type Queryable,
  rows,
  type ShippingAddress,
  type SQL,
  sql,
} from '@e3d/db';
import { CommerceError } from '../errors.ts';
import { ORDER_COLUMNS, type Order, type OrderPaymentStatus, type OrderStatus } from './order-store.ts';

export interface OrderLineView {
  id: string;
  variantId: string | null;
  productId: string | null;
  productTitle: string;
  variantTitle: string;
  sku: string;
  imageUrl: string | null;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  tax: number;
  taxRatePpm: number;
  total: number;
}

export interface OrderEventView {
  type: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  actorType: string;
  actorId: string | null;
  data: Record<string, unknown>;
  at: string;
}

export interface OrderRefundView {
  id: string;
  amount: number;
  status: string;
  reason: string | null;
  providerRefundId: string | null;
  staffId: string | null;
  createdAt: string;
}

/** What a shopper sees of their order. */
export interface OrderView {
  id: string;
  number: number;
  status: OrderStatus;
  paymentStatus: OrderPaymentStatus;
  email: string;
  currency: string;
  pricesIncludeTax: boolean;
  subtotal: number;
  discountTotal: number;
  shippingTotal: number;
  shippingTax: number;
  taxTotal: number;
  grandTotal: number;
  amountRefunded: number;
  promotionCode: string | null;
  shippingAddress: ShippingAddress;
  shippingMethod: { id: string; code: string; name: string } | null;
  tracking: { number: string | null; carrier: string | null; url: string | null } | null;
  placedAt: string;
  paidAt: string | null;
  fulfilledAt: string | null;
  deliveredAt: string | null;
  canceledAt: string | null;
  lines: OrderLineView[];
  history: { type: string; fromStatus: OrderStatus | null; toStatus: OrderStatus | null; at: string }[];
}

/** What staff see: everything, with who did what. */
export interface AdminOrderView extends Omit<OrderView, 'history'> {
  customerId: string | null;
  paymentProvider: string;
  paymentId: string | null;
  amountCaptured: number;
  cancelReason: string | null;
  reservedUntil: string | null;
  updatedAt: string;
  version: number;
  refunds: OrderRefundView[];
  history: OrderEventView[];
}

async function loadParts(conn: Queryable, orderId: string) {
  const lines = await rows<Omit<OrderLineRow, 'order_id' | 'position'>>(
    conn,
    sql`SELECT id, variant_id, product_id, product_title, variant_title, sku, image_url, quantity, unit_price,
          subtotal, discount, tax, tax_rate_ppm, total
        FROM order_lines WHERE order_id = ${orderId} ORDER BY position`,
  );
  const events = await rows<
    Pick<OrderEventRow, 'type' | 'from_status' | 'to_status' | 'actor_type' | 'actor_id' | 'data'> & {
      at: string;
    }
  >(
    conn,
    sql`SELECT type, from_status, to_status, actor_type, actor_id, data, ${iso(sql`created_at`)} AS at
        FROM order_events WHERE order_id = ${orderId} ORDER BY id`,
  );
  return {
    lines: lines.map(
      (l): OrderLineView => ({
        id: l.id,
        variantId: l.variant_id,
        productId: l.product_id,
        productTitle: l.product_title,
        variantTitle: l.variant_title,
        sku: l.sku,
        imageUrl: l.image_url,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        subtotal: l.subtotal,
        discount: l.discount,
        tax: l.tax,
        taxRatePpm: l.tax_rate_ppm,
        total: l.total,
      }),
    ),
    events: events.map(
      (e): OrderEventView => ({
        type: e.type,
        fromStatus: e.from_status,
        toStatus: e.to_status,
        actorType: e.actor_type,
        actorId: e.actor_id,
        data: e.data,
        at: e.at,
      }),
    ),
  };
}

function base(order: Order) {
  return {
    id: order.id,
    number: order.number,
    status: order.status,
    paymentStatus: order.payment_status,
    email: order.email,
    currency: order.currency,
    pricesIncludeTax: order.prices_include_tax,
    subtotal: order.subtotal,
    discountTotal: order.discount_total,
    shippingTotal: order.shipping_total,
    shippingTax: order.shipping_tax,
    taxTotal: order.tax_total,
    grandTotal: order.grand_total,
    amountRefunded: order.amount_refunded,
    promotionCode: order.promotion_code,
    shippingAddress: order.shipping_address,
    shippingMethod: order.shipping_method,
    tracking:
      order.tracking_number || order.tracking_url
        ? { number: order.tracking_number, carrier: order.tracking_carrier, url: order.tracking_url }
        : null,
    placedAt: order.placed_at,
    paidAt: order.paid_at,
    fulfilledAt: order.fulfilled_at,
    deliveredAt: order.delivered_at,
    canceledAt: order.canceled_at,
  };
}

/** Shoppers see status changes, not who made them or internal notes. */
const SHOPPER_EVENTS = new Set([
  'placed',
  'paid',
  'fulfilled',
  'delivered',
  'canceled',
  'refunded',
  'refund',
]);

export async function orderView(conn: Queryable, order: Order): Promise<OrderView> {
  const { lines, events } = await loadParts(conn, order.id);
  return {
    ...base(order),
    lines,
    history: events
      .filter((e) => e.toStatus !== null || SHOPPER_EVENTS.has(e.type))
      .map((e) => ({ type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, at: e.at })),
  };
}

export async function adminOrderView(conn: Queryable, order: Order): Promise<AdminOrderView> {
  const { lines, events } = await loadParts(conn, order.id);
  const refunds = await rows<
    Iso<
      Pick<
        OrderRefundRow,
        'id' | 'amount' | 'status' | 'reason' | 'provider_refund_id' | 'staff_id' | 'created_at'
      >
    >
  >(
    conn,
    sql`SELECT id, amount, status, reason, provider_refund_id, staff_id, ${iso(sql`created_at`)} AS created_at
        FROM order_refunds WHERE order_id = ${order.id} ORDER BY created_at, id`,
  );
  return {
    ...base(order),
    customerId: order.customer_id,
    paymentProvider: order.payment_provider,
    paymentId: order.payment_id,
    amountCaptured: order.amount_captured,
    cancelReason: order.cancel_reason,
    reservedUntil: order.reserved_until,
    updatedAt: order.updated_at,
    version: order.version,
    lines,
    history: events,
    refunds: refunds.map((r) => ({
      id: r.id,
      amount: r.amount,
      status: r.status,
      reason: r.reason,
      providerRefundId: r.provider_refund_id,
      staffId: r.staff_id,
      createdAt: r.created_at,
    })),
  };
}

export async function getOrder(conn: Queryable, orderId: string): Promise<Order> {
  const [row] = await rows<Order>(conn, sql`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ${orderId}`);
  if (!row) throw CommerceError.notFound('order_not_found', 'No such order.');
  return row;
}

export interface OrderSummary {
  id: string;
  number: number;
  status: OrderStatus;
  paymentStatus: OrderPaymentStatus;
  email: string;
  customerId: string | null;
  currency: string;
  grandTotal: number;
  amountRefunded: number;
  itemCount: number;
  placedAt: string;
}

export interface OrderListFilter {
  status?: OrderStatus[] | undefined;
  paymentStatus?: OrderPaymentStatus[] | undefined;
  customerId?: string | undefined;
  /** An order number (`1001` or `#1001`), or part of an email or the shipping name. */
  q?: string | undefined;
  placedFrom?: string | undefined;
  placedTo?: string | undefined;
  limit: number;
  /** Opaque cursor from the previous page. */
  cursor?: string | undefined;
}

const encodeCursor = (placedAt: string, id: string) => Buffer.from(`${placedAt}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { placedAt: string; id: string } {
  const [placedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!placedAt || !id || !timestamp.test(placedAt) || Number.isNaN(Date.parse(placedAt)) || !uuid.test(id)) {
    throw new CommerceError(400, 'invalid_cursor', 'The cursor is not one this API returned.');
  }
  return { placedAt, id };
}

/** Orders newest first, filtered, one page at a time (keyset pagination on placed_at, id). */
export async function listOrders(
  conn: Queryable,
  filter: OrderListFilter,
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (filter.status?.length) where.push(sql`o.status::text = ANY(${sql.param(filter.status)}::text[])`);
  if (filter.paymentStatus?.length) {
    where.push(sql`o.payment_status::text = ANY(${sql.param(filter.paymentStatus)}::text[])`);
  }
  if (filter.customerId) where.push(sql`o.customer_id = ${filter.customerId}::uuid`);
  if (filter.placedFrom) where.push(sql`o.placed_at >= ${filter.placedFrom}::timestamptz`);
  if (filter.placedTo) where.push(sql`o.placed_at < ${filter.placedTo}::timestamptz`);
  const q = filter.q?.trim();
  if (q) {
    const number = /^#?(\d{1,15})$/.exec(q)?.[1];
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      sql`(${number ? sql`o.number = ${Number(number)} OR ` : sql``}o.email ILIKE ${like} OR o.shipping_address->>'name' ILIKE ${like})`,
    );
  }
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor);
    where.push(sql`(o.placed_at, o.id) < (${c.placedAt}::timestamptz, ${c.id}::uuid)`);
  }
  const found = await rows<
    Iso<
      Pick<
        OrderRow,
        | 'id'
        | 'status'
        | 'payment_status'
        | 'email'
        | 'customer_id'
        | 'currency'
        | 'grand_total'
        | 'amount_refunded'
        | 'placed_at'
      >
    > & { number: number; item_count: number; placed_at_raw: string }
  >(
    conn,
    sql`SELECT o.id, o.number::int AS number, o.status, o.payment_status, o.email, o.customer_id, o.currency,
          o.grand_total, o.amount_refunded,
          (SELECT coalesce(sum(l.quantity), 0)::int FROM order_lines l WHERE l.order_id = o.id) AS item_count,
          ${iso(sql`o.placed_at`)} AS placed_at,
          to_char(o.placed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS placed_at_raw
        FROM orders o
        ${where.length ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
        ORDER BY o.placed_at DESC, o.id DESC
        LIMIT ${filter.limit + 1}`,
  );
  const page = found.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      paymentStatus: r.payment_status,
      email: r.email,
      customerId: r.customer_id,
      currency: r.currency,
      grandTotal: r.grand_total,
      amountRefunded: r.amount_refunded,
      itemCount: r.item_count,
      placedAt: r.placed_at,
    })),
    nextCursor: found.length > filter.limit && last ? encodeCursor(last.placed_at_raw, last.id) : null,
  };
}
