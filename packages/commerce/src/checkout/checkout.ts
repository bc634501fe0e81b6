import { createHash } from 'node:crypto';
import { type Connection, type Database, type OrderRow, type Queryable, rows, sql } from '@e3d/db';
import { type NextAction, type Payment, PaymentError } from '@e3d/payments';
import {
  type Cart,
  type CartRef,
  PROMOTION_MESSAGES,
  priceLines,
  resolveCart,
  type ShippingAddress,
} from '../cart/cart.ts';
import { loadCartLines } from '../cart/lines.ts';
import { CommerceError } from '../errors.ts';
import { emitEvent } from '../events/emit.ts';
import { findShortages, holdStock, releaseStock } from '../inventory/stock.ts';
import type { CommerceContext } from '../orders/notify.ts';
import {
  lockOrder,
  type Order,
  orderAccessToken,
  paymentKeyOf,
  recordOrderEvent,
  returnPromotionUse,
  transitionOrder,
} from '../orders/order-store.ts';
import { type OrderView, orderView } from '../orders/order-view.ts';
import { applyPayment, type PaymentFollowUp, runPaymentFollowUp } from '../orders/payment-sync.ts';
import {
  loadPromotion,
  loadShippingMethod,
  loadShopSettings,
  loadTaxRates,
} from '../store/pricing-context.ts';

export interface CheckoutInput {
  email?: string | undefined;
  shippingAddress?: ShippingAddress | undefined;
  shippingMethodId?: string | undefined;
  /** A test card number / Stripe PaymentMethod id (`pm_...`). */
  paymentMethod: string;
}

export interface PaymentView {
  status: Payment['status'];
  nextAction: NextAction | null;
  clientSecret: string | null;
  declineCode: string | null;
}

export interface CheckoutResult {
  /** `placed`: the order exists and is paid or waiting on the shopper/provider; `declined`: it was canceled. */
  outcome: 'placed' | 'declined';
  order: OrderView;
  payment: PaymentView;
  /** Lets a guest read the order: `GET /api/orders/:id?token=`. */
  accessToken: string;
}

export interface CheckoutHooks {
  /** Runs in the transaction that creates the order (the API records it against the idempotency key). */
  onOrderCreated?: (conn: Connection, orderId: string) => Promise<void>;
}

/**
 * Takes the shopper's money for their cart: places the order (holding its stock), charges the
 * payment, and applies the answer. With `resumeOrderId` (a retried request whose first attempt
 * created the order and then died) it continues that order instead of placing another; the
 * provider sees the same idempotency key, so a retry never charges twice.
 */
export async function checkout(
  db: Database,
  ctx: CommerceContext,
  ref: CartRef,
  input: CheckoutInput,
  options: CheckoutHooks & { resumeOrderId?: string } = {},
): Promise<CheckoutResult> {
  const placed = options.resumeOrderId
    ? await db.transaction((conn) => lockOrder(conn, options.resumeOrderId as string))
    : await placeOrder(db, ctx, ref, input, options);
  return payOrder(db, ctx, placed, input.paymentMethod);
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Transaction 1: everything is checked and the stock held, or nothing is written. */
async function placeOrder(
  db: Database,
  ctx: CommerceContext,
  ref: CartRef,
  input: CheckoutInput,
  hooks: CheckoutHooks,
): Promise<{ order: Order; superseded: { id: string; paymentId: string | null }[] }> {
  return db.transaction(async (conn) => {
    const cart = await resolveCart(conn, ref, { forUpdate: true });
    if (!cart) throw CommerceError.conflict('cart_empty', 'The cart is empty.');
    const lines = await loadCartLines(conn, cart.id, { lockVariants: true });
    if (lines.length === 0) throw CommerceError.conflict('cart_empty', 'The cart is empty.');
    const unavailable = lines.filter((l) => l.productStatus !== 'published' || l.currency !== cart.currency);
    if (unavailable.length > 0) {
      throw CommerceError.conflict('items_unavailable', 'Some items in the cart are no longer for sale.', {
        items: unavailable.map((l) => ({ variantId: l.variantId, sku: l.sku })),
      });
    }
    const superseded = await supersedePendingOrders(conn, cart.id);
    const wanted = new Map(lines.map((l) => [l.variantId, l.quantity]));
    const variants = new Map(
      lines.map((l) => [
        l.variantId,
        { sku: l.sku, stock_on_hand: l.stockOnHand, allow_backorder: l.allowBackorder },
      ]),
    );
    const shortages = await findShortages(conn, wanted, variants);
    if (shortages.length > 0) {
      throw CommerceError.conflict(
        'out_of_stock',
        shortages.length === 1 && shortages[0]?.available === 0
          ? 'Sorry, the last one was just sold.'
          : 'Some items no longer have enough stock.',
        { items: shortages },
      );
    }
    const details = await checkoutDetails(conn, cart, input, ref.customerId);
    const settings = await loadShopSettings(conn);
    const promotion = cart.promotionCode
      ? await loadPromotion(conn, cart.promotionCode, { forUpdate: true })
      : null;
    if (cart.promotionCode && !promotion?.active) {
      throw CommerceError.conflict('promotion_not_found', PROMOTION_MESSAGES.promotion_not_found ?? '', {
        code: cart.promotionCode,
      });
    }
    const held = new Map<string, number>();
    const { priced, problems } = priceLines({ ...cart, shippingAddress: details.address }, lines, held, {
      settings,
      method: details.method,
      promotion,
      taxRates: await loadTaxRates(conn),
    });
    const shippingProblem = problems.find((p) => p.code === 'shipping_unavailable');
    if (shippingProblem) throw CommerceError.conflict('shipping_unavailable', shippingProblem.message);
    const refused = priced.adjustments.find((a) => a.kind === 'promotion' && a.status === 'refused');
    if (refused?.kind === 'promotion' && refused.status === 'refused') {
      throw CommerceError.conflict(refused.reason, PROMOTION_MESSAGES[refused.reason] ?? refused.reason, {
        code: refused.code,
      });
    }
    const applied = priced.adjustments.some((a) => a.kind === 'promotion' && a.status === 'applied');
    const method = { id: details.method.id, code: details.method.code, name: details.method.name };
    const [order] = await rows<Pick<OrderRow, 'id'>>(
      conn,
      sql`INSERT INTO orders (cart_id, customer_id, email, currency, prices_include_tax, subtotal, discount_total,
            shipping_total, shipping_tax, tax_total, grand_total, shipping_address, shipping_method, promotion_id,
            promotion_code, payment_provider, access_token_hash, reserved_until)
          VALUES (${cart.id}, ${ref.customerId}, ${details.email}, ${cart.currency}, ${settings.pricesIncludeTax},
            ${priced.subtotal}, ${priced.discountTotal}, ${priced.shipping}, ${priced.shippingTax}, ${priced.taxTotal},
            ${priced.grandTotal}, ${JSON.stringify(details.address)}::jsonb, ${JSON.stringify(method)}::jsonb,
            ${applied ? promotion?.id : null}, ${applied ? promotion?.promotion.code : null},
            ${priced.grandTotal === 0 ? 'none' : ctx.payments.name}, '',
            now() + make_interval(mins => ${settings.reservationMinutes}))
          RETURNING id`,
    );
    if (!order) throw new Error('order insert returned nothing');
    const byVariant = new Map(lines.map((l) => [l.variantId, l]));
    const orderLines = priced.lines.map((p, position) => {
      const line = byVariant.get(p.variantId);
      return {
        position,
        variant_id: p.variantId,
        product_id: line?.productId,
        product_title: line?.productTitle,
        variant_title: line?.variantTitle,
        sku: line?.sku,
        image_url: line?.imageKey ? `${ctx.assetBaseUrl}/${line.imageKey}` : null,
        quantity: p.quantity,
        unit_price: p.unitPrice,
        subtotal: p.subtotal,
        discount: p.discount,
        tax: p.tax,
        tax_rate_ppm: p.taxRatePpm,
        total: p.total,
      };
    });
    await rows(
      conn,
      sql`INSERT INTO order_lines (order_id, position, variant_id, product_id, product_title, variant_title, sku,
            image_url, quantity, unit_price, subtotal, discount, tax, tax_rate_ppm, total)
          SELECT ${order.id}, x.position, x.variant_id, x.product_id, x.product_title, x.variant_title, x.sku,
            x.image_url, x.quantity, x.unit_price, x.subtotal, x.discount, x.tax, x.tax_rate_ppm, x.total
          FROM jsonb_to_recordset(${JSON.stringify(orderLines)}::jsonb) AS x(position int, variant_id uuid,
            product_id uuid, product_title text, variant_title text, sku text, image_url text, quantity int,
            unit_price int, subtotal int, discount int, tax int, tax_rate_ppm int, total int)`,
    );
    await holdStock(
      conn,
      order.id,
      lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })),
      settings.reservationMinutes,
    );
    if (applied && promotion) {
      const redeemed = await rows(
        conn,
        sql`UPDATE promotions SET used_count = used_count + 1
            WHERE id = ${promotion.id} AND (usage_limit IS NULL OR used_count < usage_limit) RETURNING 1`,
      );
      if (redeemed.length === 0) {
        throw CommerceError.conflict('promotion_exhausted', PROMOTION_MESSAGES.promotion_exhausted ?? '', {
          code: promotion.promotion.code,
        });
      }
    }
    await rows(conn, sql`UPDATE orders SET access_token_hash = ${sha256(order.id)} WHERE id = ${order.id}`);
    await recordOrderEvent(conn, order.id, {
      type: 'placed',
      to: 'pending',
      actor: { type: 'customer', id: ref.customerId },
      data: { grandTotal: priced.grandTotal, currency: cart.currency },
    });
    await rows(
      conn,
      sql`UPDATE carts SET email = ${details.email}, shipping_address = ${JSON.stringify(details.address)}::jsonb,
            shipping_method_id = ${details.method.id}, updated_at = now()
          WHERE id = ${cart.id}`,
    );
    if (priced.grandTotal > 0) {
      // Written before the provider is called: after a crash, this is what tells the expiry
      // sweep to ask the provider about the order (by this key and the order id in the
      // payment's metadata) instead of canceling it with the money taken.
      await recordOrderEvent(conn, order.id, {
        type: 'payment_requested',
        actor: { type: 'system' },
        data: { provider: ctx.payments.name, idempotencyKey: paymentKeyOf(order.id) },
      });
    }
    await hooks.onOrderCreated?.(conn, order.id);
    const row = await lockOrder(conn, order.id);
    await emitEvent(conn, 'order.placed', {
      id: row.id,
      number: row.number,
      email: row.email,
      grandTotal: row.grand_total,
      currency: row.currency,
    });
    return { order: row, superseded };
  });
}

async function checkoutDetails(conn: Queryable, cart: Cart, input: CheckoutInput, customerId: string | null) {
  let email = input.email ?? cart.email;
  if (!email && customerId) {
    const [customer] = await rows<{ email: string | null }>(
      conn,
      sql`SELECT email FROM customers WHERE id = ${customerId}`,
    );
    email = customer?.email ?? null;
  }
  if (!email) throw new CommerceError(400, 'email_required', 'An email address is needed for the receipt.');
  const address = input.shippingAddress ?? cart.shippingAddress;
  if (!address) throw new CommerceError(400, 'shipping_address_required', 'A shipping address is needed.');
  const methodId = input.shippingMethodId ?? cart.shippingMethodId;
  if (!methodId) throw new CommerceError(400, 'shipping_method_required', 'Choose a shipping method.');
  const method = await loadShippingMethod(conn, methodId);
  if (!method?.active) {
    throw CommerceError.notFound('shipping_method_not_found', 'That shipping method is not offered.');
  }
  return { email: email.trim().toLowerCase(), address, method };
}

/** A new checkout of the same cart replaces an unpaid one (the shopper changed card or cart). */
async function supersedePendingOrders(
  conn: Queryable,
  cartId: string,
): Promise<{ id: string; paymentId: string | null }[]> {
  const pending = await rows<Pick<OrderRow, 'id'>>(
    conn,
    sql`SELECT id FROM orders WHERE cart_id = ${cartId} AND status = 'pending' ORDER BY id FOR UPDATE`,
  );
  const superseded: { id: string; paymentId: string | null }[] = [];
  for (const { id } of pending) {
    const order = await lockOrder(conn, id);
    await releaseStock(conn, id);
    await returnPromotionUse(conn, order);
    await transitionOrder(
      conn,
      order,
      'canceled',
      { type: 'canceled', actor: { type: 'system' }, data: { reason: 'superseded by a new checkout' } },
      { cancel_reason: 'superseded', reserved_until: null },
    );
    superseded.push({ id, paymentId: order.payment_id });
  }
  return superseded;
}

/** Charges the placed order and applies the answer (transaction 2). */
async function payOrder(
  db: Database,
  ctx: CommerceContext,
  placed: Order | { order: Order; superseded: { id: string; paymentId: string | null }[] },
  paymentMethod: string,
): Promise<CheckoutResult> {
  const { order, superseded } = 'superseded' in placed ? placed : { order: placed, superseded: [] };
  for (const old of superseded) {
    if (old.paymentId) await ctx.payments.cancel(old.paymentId).catch(() => undefined);
  }
  let payment: Payment;
  if (order.grand_total === 0) {
    payment = freePayment(order);
  } else if (order.payment_id) {
    payment = await ctx.payments.getPayment(order.payment_id).catch(providerError);
  } else if (order.status !== 'pending') {
    // A retry of a checkout whose reservation lapsed: charge nothing new, but settle a payment
    // the first attempt made before it died.
    const made = await ctx.payments
      .findPayment({ orderId: order.id, idempotencyKey: paymentKeyOf(order.id) })
      .catch(providerError);
    if (!made) {
      throw CommerceError.conflict(
        'checkout_lapsed',
        'This checkout lapsed before it was paid and nothing was charged; check out again.',
        { orderId: order.id },
      );
    }
    payment = made;
  } else {
    try {
      payment = await ctx.payments.createPayment({
        amount: order.grand_total,
        currency: order.currency,
        orderId: order.id,
        idempotencyKey: paymentKeyOf(order.id),
        method: paymentMethod,
      });
    } catch (error) {
      if (error instanceof PaymentError && error.code === 'invalid_request') {
        payment = {
          ...freePayment(order),
          id: `invalid_${order.id}`,
          status: 'declined',
          declineCode: 'invalid_payment_method',
        };
      } else {
        throw providerError(error);
      }
    }
  }
  let followUp: PaymentFollowUp = null;
  const result = await db.transaction(async (conn) => {
    const locked = await lockOrder(conn, order.id);
    followUp = await applyPayment(conn, ctx, locked, payment, { type: 'customer', id: order.customer_id });
    const fresh = await lockOrder(conn, order.id);
    return {
      outcome: fresh.status === 'canceled' ? ('declined' as const) : ('placed' as const),
      order: await orderView(conn, fresh),
      payment: {
        status: payment.status,
        nextAction: payment.nextAction ?? null,
        clientSecret: payment.clientSecret ?? null,
        declineCode: payment.declineCode ?? null,
      },
      accessToken: orderAccessToken(ctx.orderAccessSecret, order.id),
    };
  });
  await runPaymentFollowUp(db, ctx, order.id, payment.id, followUp);
  return result;
}

function freePayment(order: Order): Payment {
  return {
    id: `free_${order.id}`,
    provider: 'test',
    status: 'succeeded',
    amount: 0,
    currency: order.currency.toLowerCase(),
    orderId: order.id,
    amountCaptured: 0,
    amountRefunded: 0,
  };
}

function providerError(error: unknown): never {
  throw new CommerceError(
    502,
    'payment_provider_unavailable',
    'The payment provider did not answer; try again.',
    {
      reason: (error as Error).message,
    },
  );
}
