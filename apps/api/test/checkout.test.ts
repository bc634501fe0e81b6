import { randomUUID } from 'node:crypto';
import { commerceContextFromConfig, expireLapsedOrders } from '@e3d/commerce';
import { cartSchema, checkoutResultSchema, orderSchema, problemSchema } from '@e3d/contracts';
import { createStripePaymentProvider, stripeTestSignature, type TestPaymentProvider } from '@e3d/payments';
import { customerToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { type FakeStripe, startFakeStripe } from '@e3d/testing/fake-stripe';
import { BACKENDS } from '@e3d/testing/postgres';
import { ADDRESS, shopper } from '@e3d/testing/shopper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Variant {
  id: string;
  price: number;
  stock: number;
}

async function publishedVariants(api: TestApi): Promise<Variant[]> {
  return api.db.query<Variant>(
    `SELECT v.id, v.price_amount AS price, v.stock_on_hand AS stock FROM product_variants v
     JOIN products p ON p.id = v.product_id
     WHERE p.status = 'published' AND NOT v.allow_backorder AND v.stock_on_hand >= 5
     ORDER BY v.price_amount, v.id`,
  );
}

async function setStock(api: TestApi, variantId: string, stock: number, backorder = false) {
  await api.db.query('UPDATE product_variants SET stock_on_hand = $2, allow_backorder = $3 WHERE id = $1', [
    variantId,
    stock,
    backorder,
  ]);
}

const stockOf = async (api: TestApi, variantId: string) =>
  Number(
    (
      await api.db.query<{ s: number }>('SELECT stock_on_hand AS s FROM product_variants WHERE id = $1', [
        variantId,
      ])
    )[0]?.s,
  );

const mailKeys = async (api: TestApi) =>
  (
    await api.db.query<{ k: string }>(
      `SELECT dedupe_key AS k FROM jobs WHERE queue = 'mail.send' ORDER BY id`,
    )
  ).map((r) => r.k);

const commerceOf = (api: TestApi) => commerceContextFromConfig(api.config, api.runtime);

/** Moves the order's reservation into the past, as if the shopper had walked away. */
async function lapse(api: TestApi, orderId: string) {
  await api.db.query(
    `UPDATE stock_reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
    [orderId],
  );
  await api.db.query(`UPDATE orders SET reserved_until = now() - interval '1 second' WHERE id = $1`, [
    orderId,
  ]);
}

async function standardShipping(api: TestApi): Promise<string> {
  const [row] = await api.db.query<{ id: string }>(`SELECT id FROM shipping_methods WHERE code = 'standard'`);
  return row?.id ?? '';
}

describe.each(BACKENDS)('cart and checkout (%s)', (backend) => {
  let api: TestApi;
  let variants: Variant[];
  let standard: string;
  const checkoutBody = (method = '4242 4242 4242 4242') => ({
    email: 'buyer@example.com',
    shippingAddress: ADDRESS,
    shippingMethodId: standard,
    payment: { method },
  });

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: 'fixture' });
    variants = await publishedVariants(api);
    standard = await standardShipping(api);
    expect(variants.length).toBeGreaterThanOrEqual(3);
  }, 120_000);
  afterAll(() => api?.close());

  it('tells the storefront which payment provider to use, with the test cards', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/payments/config' });
    expect(response.json()).toMatchObject({ provider: 'test', publishableKey: null });
    expect(response.json().testCards).toHaveLength(3);
  });

  it('prices a guest cart on the server and keeps it in a cookie', async () => {
    const s = shopper(api);
    const [a, b] = variants as [Variant, Variant];
    const empty = await s.cart();
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ id: null, lines: [], grandTotal: 0 });
    const added = await s.add(a.id, 2);
    expect(added.status).toBe(200);
    expect(s.cartId).toMatch(/^[0-9a-f-]{36}$/);
    await s.add(b.id);
    await s.add(a.id, 1);
    const cart = cartSchema.parse((await s.cart()).body);
    expect(cart.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [a.id, 3],
      [b.id, 1],
    ]);
    expect(cart.subtotal).toBe(a.price * 3 + b.price);
    expect(cart.grandTotal).toBe(cart.subtotal);
    expect(cart.itemCount).toBe(4);

    const changed = await s.request('PATCH', `/api/cart/lines/${a.id}`, { quantity: 1 });
    expect(changed.body.subtotal).toBe(a.price + b.price);
    const removed = await s.request('DELETE', `/api/cart/lines/${b.id}`);
    expect(removed.body.lines).toHaveLength(1);
    const zero = await s.request('PATCH', `/api/cart/lines/${a.id}`, { quantity: 0 });
    expect(zero.body.lines).toHaveLength(0);
  });

  it('refuses bad cart input with stable codes', async () => {
    const s = shopper(api);
    const v = variants[0] as Variant;
    const cases: [Promise<{ status: number; body: { code: string } }>, number, string][] = [
      [s.add(randomUUID()), 404, 'variant_not_found'],
      [s.add('not-a-uuid'), 400, 'invalid_body'],
      [s.add(v.id, 0), 400, 'invalid_body'],
      [s.add(v.id, 1000), 400, 'invalid_body'],
      [s.add(v.id, v.stock + 1), 409, 'insufficient_stock'],
      [s.request('PATCH', `/api/cart/lines/${randomUUID()}`, { quantity: 1 }), 404, 'cart_line_not_found'],
      [s.request('PUT', '/api/cart/promotion', { code: 'NOPE' }), 404, 'promotion_not_found'],
      [s.request('PUT', '/api/cart/promotion', { code: 'expired20' }), 409, 'promotion_expired'],
      [s.request('PATCH', '/api/cart', { shippingMethodId: randomUUID() }), 404, 'shipping_method_not_found'],
      [
        s.request('PATCH', '/api/cart', { shippingAddress: { ...ADDRESS, country: 'USA' } }),
        400,
        'invalid_body',
      ],
    ];
    for (const [call, status, code] of cases) {
      const response = await call;
      expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
      expect(problemSchema.safeParse(response.body).success).toBe(true);
    }
    const malformed = await api.app.inject({
      method: 'POST',
      url: '/api/cart/lines',
      headers: { 'content-type': 'application/json' },
      payload: '{"variantId":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('malformed_json');
  });

  it('applies promotion codes, shipping by weight and destination, and tax by region', async () => {
    const s = shopper(api);
    const v = variants[0] as Variant;
    await s.add(v.id, 2);
    const promo = await s.request('PUT', '/api/cart/promotion', { code: ' welcome10 ' });
    expect(promo.status).toBe(200);
    const subtotal = v.price * 2;
    const discount = Math.round(subtotal / 10);
    expect(promo.body.promotion).toMatchObject({ code: 'WELCOME10', status: 'applied' });
    expect(Math.abs(promo.body.discountTotal - discount)).toBeLessThanOrEqual(1);

    const options = await s.request('GET', '/api/cart/shipping-options?country=us');
    expect(options.status).toBe(200);
    expect(options.body.items.map((o: { code: string }) => o.code)).toEqual(['standard', 'express']);

    const priced = await s.request('PATCH', '/api/cart', {
      email: 'Buyer@Example.com',
      shippingAddress: ADDRESS,
      shippingMethodId: standard,
    });
    expect(priced.status).toBe(200);
    const cart = cartSchema.parse(priced.body);
    expect(cart.email).toBe('buyer@example.com');
    expect(cart.shippingMethod?.code).toBe('standard');
    const net = cart.subtotal - cart.discountTotal;
    // California 7.25%, on merchandise only, rounded half-even per line.
    expect(Math.abs(cart.taxTotal - Math.round((net * 72_500) / 1_000_000))).toBeLessThanOrEqual(1);
    expect(cart.grandTotal).toBe(net + cart.shippingTotal + cart.taxTotal);

    const save5 = await s.request('PUT', '/api/cart/promotion', { code: 'SAVE5' });
    const under = subtotal < 5000;
    expect(save5.body.promotion.status).toBe(under ? 'refused' : 'applied');
    if (under) expect(save5.body.promotion.reason).toBe('promotion_minimum_not_met');
    const cleared = await s.request('DELETE', '/api/cart/promotion');
    expect(cleared.body.promotion).toBeNull();
  });

  it('merges a guest cart into the customer’s cart on sign-in', async () => {
    const customer = await customerToken(api);
    const [a, b] = variants as [Variant, Variant];
    const signedIn = shopper(api, customer.token);
    await signedIn.add(a.id, 1);
    const guest = shopper(api);
    await guest.add(a.id, 2);
    await guest.add(b.id, 1);
    const both = shopper(api, customer.token);
    both.setCart(guest.cartId);
    const merged = cartSchema.parse((await both.cart()).body);
    expect(merged.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [a.id, 3],
      [b.id, 1],
    ]);
    expect((await guest.cart()).body.id).toBeNull();
  });

  it('checks out with the test card: paid, stock taken, confirmation email queued once, cart emptied', async () => {
    const s = shopper(api);
    const v = variants[1] as Variant;
    const before = await stockOf(api, v.id);
    await s.add(v.id, 2);
    const key = randomUUID();
    const response = await s.checkout(checkoutBody(), key);
    expect(response.status).toBe(201);
    const result = checkoutResultSchema.parse(response.body);
    expect(result.outcome).toBe('placed');
    expect(result.order).toMatchObject({
      status: 'paid',
      paymentStatus: 'captured',
      email: 'buyer@example.com',
    });
    expect(result.order.number).toBeGreaterThanOrEqual(1001);
    expect(result.order.lines[0]).toMatchObject({ variantId: v.id, quantity: 2 });
    expect(await stockOf(api, v.id)).toBe(before - 2);
    expect(await mailKeys(api)).toContain(`order:${result.order.id}:confirmation`);
    expect((await s.cart()).body.lines).toEqual([]);

    // The same request again (a retry after a lost response) answers the same and does nothing.
    const replay = await s.checkout(checkoutBody(), key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.order.id).toBe(result.order.id);
    const [count] = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders WHERE cart_id = (SELECT cart_id FROM orders WHERE id = $1)`,
      [result.order.id],
    );
    expect(count?.n).toBe(1);
    expect(await stockOf(api, v.id)).toBe(before - 2);

    const reused = await s.checkout(checkoutBody('5555 5555 5555 4444'), key);
    expect({ status: reused.status, code: reused.body.code }).toEqual({
      status: 422,
      code: 'idempotency_key_reused',
    });

    // The guest reads it with the token; a wrong token finds nothing.
    const read = await s.request('GET', `/api/orders/${result.order.id}?token=${result.accessToken}`);
    expect(read.status).toBe(200);
    expect(orderSchema.parse(read.body).history.map((h) => h.type)).toEqual(['placed', 'paid']);
    const forged = await s.request('GET', `/api/orders/${result.order.id}?token=${'x'.repeat(43)}`);
    expect(forged.status).toBe(404);
  });

  it('refuses a checkout without an Idempotency-Key, with an empty cart, or without an address', async () => {
    const s = shopper(api);
    const noKey = await s.checkout(checkoutBody(), null);
    expect({ status: noKey.status, code: noKey.body.code }).toEqual({
      status: 400,
      code: 'idempotency_key_required',
    });
    const empty = await s.checkout(checkoutBody());
    expect({ status: empty.status, code: empty.body.code }).toEqual({ status: 409, code: 'cart_empty' });
    await s.add((variants[0] as Variant).id);
    const noAddress = await s.checkout({ email: 'a@example.com', payment: { method: '4242424242424242' } });
    expect({ status: noAddress.status, code: noAddress.body.code }).toEqual({
      status: 400,
      code: 'shipping_address_required',
    });
    const badMethod = await s.checkout({ ...checkoutBody(), payment: { method: '' } });
    expect(badMethod.status).toBe(400);
  });

  it('a declined card: 402, the order canceled, stock released, the cart kept for another try', async () => {
    const s = shopper(api);
    const v = variants[2] as Variant;
    const before = await stockOf(api, v.id);
    await s.add(v.id, 1);
    const declined = await s.checkout(checkoutBody('4000 0000 0000 0002'));
    expect(declined.status).toBe(402);
    expect(declined.body).toMatchObject({ code: 'payment_declined', declineCode: 'card_declined' });
    const [order] = await api.db.query<{ status: string; payment_status: string }>(
      'SELECT status, payment_status FROM orders WHERE id = $1',
      [declined.body.orderId],
    );
    expect(order).toEqual({ status: 'canceled', payment_status: 'declined' });
    expect(await stockOf(api, v.id)).toBe(before);
    const [held] = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stock_reservations WHERE order_id = $1 AND state = 'held'`,
      [declined.body.orderId],
    );
    expect(held?.n).toBe(0);
    expect((await s.cart()).body.lines).toHaveLength(1);
    const retry = await s.checkout(checkoutBody());
    expect(retry.status).toBe(201);
    expect(retry.body.order.status).toBe('paid');
  });

  it('3-D Secure: requires_action holds the stock until the shopper passes the challenge', async () => {
    const s = shopper(api);
    const v = variants[0] as Variant;
    await s.add(v.id, 1);
    const response = await s.checkout(checkoutBody('4000 0027 6000 3184'));
    expect(response.status).toBe(201);
    expect(response.body.payment).toMatchObject({
      status: 'requires_action',
      nextAction: { type: 'authenticate' },
    });
    expect(response.body.order).toMatchObject({ status: 'pending', paymentStatus: 'requires_action' });
    const { id } = response.body.order;
    const token = response.body.accessToken;
    const passed = await s.request('POST', `/api/orders/${id}/payment/test-authenticate?token=${token}`, {});
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ status: 'paid', paymentStatus: 'captured' });
    const again = await s.request('POST', `/api/orders/${id}/payment/refresh?token=${token}`);
    expect(again.body.status).toBe('paid');
  });

  it('when 50 buyers race for the last unit, exactly one order gets it and the others get 409 out_of_stock', async () => {
    const v = variants[2] as Variant;
    await setStock(api, v.id, 1);
    const buyers = Array.from({ length: 50 }, () => shopper(api));
    for (const b of buyers) expect((await b.add(v.id, 1)).status).toBe(200);
    const [start] = await api.db.query<{ now: string }>('SELECT now()::text AS now');
    const results = await Promise.all(buyers.map((b) => b.checkout(checkoutBody())));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.code).toBe('out_of_stock');
      expect(r.body.items).toEqual([
        expect.objectContaining({ variantId: v.id, requested: 1, available: 0 }),
      ]);
    }
    expect(await stockOf(api, v.id)).toBe(0);
    const [paid] = await api.db.query<{ n: number }>(
      `SELECT coalesce(sum(l.quantity), 0)::int AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
       WHERE l.variant_id = $1 AND o.status = 'paid' AND o.placed_at >= $2::timestamptz`,
      [v.id, start?.now],
    );
    expect(paid?.n).toBe(1);
  });

  it('backorders: a variant that allows them sells past zero', async () => {
    const v = variants[2] as Variant;
    await setStock(api, v.id, 0, true);
    const s = shopper(api);
    expect((await s.add(v.id, 3)).status).toBe(200);
    const response = await s.checkout(checkoutBody());
    expect(response.status).toBe(201);
    expect(await stockOf(api, v.id)).toBe(-3);
    await setStock(api, v.id, 10);
  });

  it('a reservation that lapses frees the stock; the sweeper voids the open 3-D Secure payment and cancels the order', async () => {
    const v = variants[2] as Variant;
    await setStock(api, v.id, 1);
    const slow = shopper(api);
    await slow.add(v.id, 1);
    const other = shopper(api);
    await other.add(v.id, 1);
    const pending = await slow.checkout(checkoutBody('4000 0027 6000 3184'));
    expect(pending.body.order.status).toBe('pending');
    const blocked = await other.checkout(checkoutBody());
    expect(blocked.body.code).toBe('out_of_stock');

    await lapse(api, pending.body.order.id);
    const bought = await other.checkout(checkoutBody());
    expect(bought.status).toBe(201);
    const swept = await expireLapsedOrders(api.db, commerceOf(api));
    expect(swept.canceled).toBeGreaterThanOrEqual(1);
    // The hold on the card went with the order: a late authentication charges nothing.
    const late = await slow.request(
      'POST',
      `/api/orders/${pending.body.order.id}/payment/test-authenticate?token=${pending.body.accessToken}`,
      {},
    );
    expect({ status: late.status, code: late.body.code }).toEqual({
      status: 409,
      code: 'payment_invalid_state',
    });
    const order = await api.app.inject({
      method: 'GET',
      url: `/api/orders/${pending.body.order.id}?token=${pending.body.accessToken}`,
    });
    expect(order.json()).toMatchObject({ status: 'canceled', paymentStatus: 'canceled', amountRefunded: 0 });
    const [row] = await api.db.query<{ payment_id: string }>('SELECT payment_id FROM orders WHERE id = $1', [
      pending.body.order.id,
    ]);
    const payment = await api.runtime.payments.getPayment(row?.payment_id ?? '');
    expect({ status: payment.status, captured: payment.amountCaptured }).toEqual({
      status: 'canceled',
      captured: 0,
    });
    expect(await stockOf(api, v.id)).toBe(0);
    await setStock(api, v.id, 10);
  });

  it('uses up a limited promotion: the second order is refused with promotion_exhausted', async () => {
    const first = shopper(api);
    await first.add((variants[0] as Variant).id);
    expect((await first.request('PUT', '/api/cart/promotion', { code: 'LIMITED1' })).status).toBe(200);
    const second = shopper(api);
    await second.add((variants[0] as Variant).id);
    expect((await second.request('PUT', '/api/cart/promotion', { code: 'LIMITED1' })).status).toBe(200);
    expect((await first.checkout(checkoutBody())).status).toBe(201);
    const refused = await second.checkout(checkoutBody());
    expect({ status: refused.status, code: refused.body.code }).toEqual({
      status: 409,
      code: 'promotion_exhausted',
    });
  });

  it('applies the test provider’s signed webhooks once; forged and replayed ones change nothing', async () => {
    const provider = api.runtime.payments as TestPaymentProvider;
    provider.takeWebhooks();
    const s = shopper(api);
    await s.add((variants[0] as Variant).id);
    const placed = await s.checkout(checkoutBody('4000 0027 6000 3184'));
    const orderId = placed.body.order.id;
    const [payment] = await api.db.query<{ payment_id: string }>(
      'SELECT payment_id FROM orders WHERE id = $1',
      [orderId],
    );
    await provider.confirm(payment?.payment_id ?? '');
    const deliveries = provider.takeWebhooks();
    const succeeded = deliveries.find((d) => d.event.type === 'payment.succeeded');
    expect(succeeded).toBeDefined();
    const post = (raw: Buffer, headers: Record<string, string>) =>
      api.app.inject({ method: 'POST', url: '/api/payments/webhooks/test', payload: raw, headers });

    const tampered = Buffer.from(succeeded?.rawBody.toString().replace(/"amount":\d+/, '"amount":1') ?? '');
    const forged = await post(tampered, succeeded?.headers ?? {});
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('webhook_signature_invalid');
    expect(
      (await api.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]))[0]
        ?.status,
    ).toBe('pending');

    const first = await post(succeeded?.rawBody ?? Buffer.alloc(0), succeeded?.headers ?? {});
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: true, duplicate: false });
    const [paid] = await api.db.query<{ status: string; version: number }>(
      'SELECT status, version FROM orders WHERE id = $1',
      [orderId],
    );
    expect(paid?.status).toBe('paid');
    const replay = await post(succeeded?.rawBody ?? Buffer.alloc(0), succeeded?.headers ?? {});
    expect(replay.json()).toMatchObject({ received: true, duplicate: true });
    const [after] = await api.db.query<{ version: number }>('SELECT version FROM orders WHERE id = $1', [
      orderId,
    ]);
    expect(after?.version).toBe(paid?.version);
    expect((await mailKeys(api)).filter((k) => k === `order:${orderId}:confirmation`)).toHaveLength(1);

    const wrongProvider = await api.app.inject({
      method: 'POST',
      url: '/api/payments/webhooks/stripe',
      payload: succeeded?.rawBody ?? Buffer.alloc(0),
      headers: succeeded?.headers ?? {},
    });
    expect(wrongProvider.statusCode).toBe(404);
  });

  it('a customer sees their own orders, and nobody else’s', async () => {
    const customer = await customerToken(api);
    const s = shopper(api, customer.token);
    await s.add((variants[0] as Variant).id);
    const placed = await s.checkout({
      shippingAddress: ADDRESS,
      shippingMethodId: standard,
      payment: { method: '4242424242424242' },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.order.email).toBe(customer.email);
    const list = await s.request('GET', '/api/me/orders');
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([placed.body.order.id]);
    const one = await s.request('GET', `/api/me/orders/${placed.body.order.number}`);
    expect(one.body.id).toBe(placed.body.order.id);
    const stranger = shopper(api, (await customerToken(api)).token);
    expect((await stranger.request('GET', `/api/me/orders/${placed.body.order.number}`)).status).toBe(404);
    expect((await stranger.request('GET', `/api/orders/${placed.body.order.id}`)).status).toBe(404);
    expect((await shopper(api).request('GET', '/api/me/orders')).status).toBe(401);
  });
});

describe.each(BACKENDS)('Stripe payments through the API (%s)', (backend) => {
  const WEBHOOK_SECRET = 'whsec_test_api_0123456789abcdef0123456789';
  let fake: FakeStripe;
  let api: TestApi;
  let standard: string;

  beforeAll(async () => {
    fake = await startFakeStripe();
    const payments = createStripePaymentProvider({
      secretKey: 'sk_test_api',
      webhookSecret: WEBHOOK_SECRET,
      host: '127.0.0.1',
      port: fake.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    api = await startTestApi(backend, { seed: 'fixture', payments });
    standard = await standardShipping(api);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const event = (id: string, intentId: string, amount: number) =>
    JSON.stringify({
      id,
      object: 'event',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: intentId,
          object: 'payment_intent',
          amount,
          amount_received: amount,
          currency: 'usd',
          status: 'succeeded',
        },
      },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    });
  const post = (payload: string, signature: string) =>
    api.app.inject({
      method: 'POST',
      url: '/api/payments/webhooks/stripe',
      payload,
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    });

  it('a 3-D Secure PaymentIntent is paid by its signed webhook once; forged, stale and replayed ones change nothing', async () => {
    const [v] = await publishedVariants(api);
    const s = shopper(api);
    await s.add((v as Variant).id);
    const placed = await s.checkout({
      email: 'stripe@example.com',
      shippingAddress: ADDRESS,
      shippingMethodId: standard,
      payment: { method: 'pm_card_threeDSecure2Required' },
    });
    expect(placed.status).toBe(201);
    expect(placed.body.payment).toMatchObject({ status: 'requires_action' });
    expect(placed.body.payment.clientSecret).toMatch(/_secret_/);
    const [row] = await api.db.query<{ payment_id: string; grand_total: number; payment_provider: string }>(
      'SELECT payment_id, grand_total, payment_provider FROM orders WHERE id = $1',
      [placed.body.order.id],
    );
    expect(row?.payment_provider).toBe('stripe');
    const payload = event(`evt_${randomUUID()}`, row?.payment_id ?? '', row?.grand_total ?? 0);
    const statusNow = async () =>
      (
        await api.db.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [
          placed.body.order.id,
        ])
      )[0]?.status;

    const forged = await post(payload, stripeTestSignature(payload, 'whsec_wrong_secret_0123456789'));
    expect({ status: forged.statusCode, code: forged.json().code }).toEqual({
      status: 400,
      code: 'webhook_signature_invalid',
    });
    const stale = await post(
      payload,
      stripeTestSignature(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600),
    );
    expect({ status: stale.statusCode, code: stale.json().code }).toEqual({
      status: 400,
      code: 'webhook_timestamp_out_of_tolerance',
    });
    expect(await statusNow()).toBe('pending');

    const good = await post(payload, stripeTestSignature(payload, WEBHOOK_SECRET));
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ duplicate: false, result: 'applied' });
    expect(await statusNow()).toBe('paid');
    const replay = await post(payload, stripeTestSignature(payload, WEBHOOK_SECRET));
    expect(replay.json()).toMatchObject({ duplicate: true });
    const [events] = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_events WHERE order_id = $1 AND type = 'paid'`,
      [placed.body.order.id],
    );
    expect(events?.n).toBe(1);
  });

  it('tells the storefront to use Stripe', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/payments/config' });
    expect(response.json()).toMatchObject({ provider: 'stripe', testCards: [] });
  });

  it('a webhook for a payment no order has yet is answered 409 so Stripe retries it', async () => {
    const payload = event(`evt_${randomUUID()}`, 'pi_unknown', 100);
    const response = await post(payload, stripeTestSignature(payload, WEBHOOK_SECRET));
    expect({ status: response.statusCode, code: response.json().code }).toEqual({
      status: 409,
      code: 'unknown_payment',
    });
  });
});
