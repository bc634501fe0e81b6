import { type OrderLineRow, type Queryable, rows, sql } from '@e3d/db';
import { enqueueMail, type MailMessage } from '@e3d/mail';
import type { PaymentProvider } from '@e3d/payments';
import {
  type OrderEmailData,
  type OrderRefund,
  orderCanceledEmail,
  orderConfirmationEmail,
  orderRefundedEmail,
  orderShippedEmail,
  type ShopIdentity,
} from '../emails/order-emails.ts';
import { type EventType, emitEvent } from '../events/emit.ts';
import { findOrder, type Order, orderAccessToken, recordOrderEvent } from './order-store.ts';
import { orderView } from './order-view.ts';

/** What order code needs from the running app. */
export interface CommerceContext {
  payments: PaymentProvider;
  shop: ShopIdentity;
  /** Signs the links that let guests read their order (the API's JWT secret). */
  orderAccessSecret: Uint8Array;
  assetBaseUrl: string;
}

/** The context from the settings both the API and the worker read, and the services they opened. */
export function commerceContextFromConfig(
  config: { SHOP_NAME: string; STOREFRONT_URL: string; assetBaseUrl: string },
  services: { payments: PaymentProvider; jwtSecret: Uint8Array },
): CommerceContext {
  return {
    payments: services.payments,
    shop: { name: config.SHOP_NAME, storefrontUrl: config.STOREFRONT_URL },
    orderAccessSecret: services.jwtSecret,
    assetBaseUrl: config.assetBaseUrl,
  };
}

/** The page a shopper reads the order on: their account's for customers, a signed link for guests. */
export function orderUrl(ctx: CommerceContext, order: Pick<Order, 'id' | 'number' | 'customer_id'>): string {
  const base = ctx.shop.storefrontUrl.replace(/\/$/, '');
  return order.customer_id
    ? `${base}/account/orders/${order.number}`
    : `${base}/orders/${order.id}?token=${orderAccessToken(ctx.orderAccessSecret, order.id)}`;
}

async function emailData(conn: Queryable, order: Order): Promise<OrderEmailData> {
  const lines = await rows<
    Pick<
      OrderLineRow,
      'product_title' | 'variant_title' | 'sku' | 'quantity' | 'unit_price' | 'total' | 'image_url'
    >
  >(
    conn,
    sql`SELECT product_title, variant_title, sku, quantity, unit_price, total, image_url
        FROM order_lines WHERE order_id = ${order.id} ORDER BY position`,
  );
  return {
    id: order.id,
    number: order.number,
    email: order.email,
    currency: order.currency,
    pricesIncludeTax: order.prices_include_tax,
    subtotal: order.subtotal,
    discountTotal: order.discount_total,
    shippingTotal: order.shipping_total,
    taxTotal: order.tax_total,
    grandTotal: order.grand_total,
    promotionCode: order.promotion_code,
    shippingAddress: order.shipping_address,
    shippingMethodName: order.shipping_method?.name ?? null,
    lines: lines.map((l) => ({
      productTitle: l.product_title,
      variantTitle: l.variant_title,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      total: l.total,
      imageUrl: l.image_url,
    })),
    placedAt: order.placed_at,
    trackingNumber: order.tracking_number,
    trackingCarrier: order.tracking_carrier,
    trackingUrl: order.tracking_url,
  };
}

export type OrderEmailKind =
  | { kind: 'confirmation' }
  | { kind: 'shipped' }
  | { kind: 'canceled'; reason: string }
  | { kind: 'refund'; refund: OrderRefund };

/**
 * Queues an order email in the caller's transaction: it goes out once the change commits, and
 * its key (order + kind) makes sure it goes out once. `resendId` gives a deliberate resend its own key.
 */
export async function queueOrderEmail(
  conn: Queryable,
  ctx: CommerceContext,
  order: Order,
  email: OrderEmailKind,
  options: { resendId?: string } = {},
): Promise<void> {
  order = (await findOrder(conn, order.id)) ?? order;
  const data = await emailData(conn, order);
  const url = orderUrl(ctx, order);
  let message: MailMessage;
  if (email.kind === 'confirmation') message = orderConfirmationEmail(data, ctx.shop, url);
  else if (email.kind === 'shipped') message = orderShippedEmail(data, ctx.shop, url);
  else if (email.kind === 'canceled') message = orderCanceledEmail(data, ctx.shop, url, email.reason);
  else message = orderRefundedEmail(data, ctx.shop, url, email.refund);
  if (options.resendId) message = { ...message, key: `${message.key}:resend:${options.resendId}` };
  await enqueueMail(conn, message);
  await recordOrderEvent(conn, order.id, {
    type: 'email_queued',
    actor: { type: 'system' },
    data: { kind: email.kind, ...(options.resendId ? { resend: true } : {}) },
  });
}

/** Tells subscribed webhook endpoints about the order, in the caller's transaction. */
export async function emitOrderEvent(conn: Queryable, type: EventType, order: Order): Promise<void> {
  const view = await orderView(conn, (await findOrder(conn, order.id)) ?? order);
  await emitEvent(conn, type, { ...view, customerId: order.customer_id });
}
