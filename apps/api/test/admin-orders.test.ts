import { randomUUID } from 'node:crypto';
import { adminOrderSchema, orderListSchema } from '@e3d/contracts';
import { createTestPaymentProvider, type TestPaymentProvider } from '@e3d/payments';
import { type Client, client, expectRoleMatrix, type RouteCase, UNKNOWN_ID } from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { ADDRESS, shopper } from '@e3d/testing/shopper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CARD = '4242 4242 4242 4242';
const THREE_D_SECURE_CARD = '4000 0027 6000 3184';

const base = '/api/admin/orders';
const ORDER_ROUTES: RouteCase[] = [
  { method: 'GET', url: base, permission: 'orders:read' },
  { method: 'GET', url: `${base}/${UNKNOWN_ID}`, permission: 'orders:read' },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/capture`, permission: 'orders:write', body: {} },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/refunds`, permission: 'orders:write', body: {} },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/fulfil`, permission: 'orders:write', body: {} },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/deliver`, permission: 'orders:write' },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/cancel`, permission: 'orders:write', body: {} },
  {
    method: 'POST',
    url: `${base}/${UNKNOWN_ID}/resend-email`,
    permission: 'orders:write',
    body: { kind: 'confirmation' },
  },
];

interface Placed {
  id: string;
  number: number;
  grandTotal: number;
  status: string;
  paymentStatus: string;
  accessToken: string;
}

/** A letters-only tag, so searching for an order number never matches it. */
const tag = () =>
  Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');

const stockOf = async (api: TestApi, variantId: string) =>
  Number(
    (
      await api.db.query<{ s: number }>('SELECT stock_on_hand AS s FROM product_variants WHERE id = $1', [
        variantId,
      ])
    )[0]?.s,
  );

const mailKeys = async (api: TestApi, orderId: string) =>
  (
    await api.db.query<{ k: string }>(
      `SELECT dedupe_key AS k FROM jobs WHERE queue = 'mail.send' AND dedupe_key LIKE $1 ORDER BY id`,
      [`order:${orderId}:%`],
    )
  ).map((r) => r.k);

const auditActions = async (api: TestApi, orderId: string) =>
  (
    await api.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_type = 'order' AND entity_id = $1 ORDER BY id`,
      [orderId],
    )
  ).map((r) => r.action);

const deliveredEvents = async (api: TestApi, orderId: string) =>
  (
    await api.db.query<{ t: string }>(
      `SELECT event_type AS t FROM webhook_deliveries WHERE payload->'data'->>'id' = $1 ORDER BY created_at, id`,
      [orderId],
    )
  ).map((r) => r.t);

const reservationStates = async (api: TestApi, orderId: string) =>
  (
    await api.db.query<{ state: string }>(
      'SELECT state FROM stock_reservations WHERE order_id = $1 ORDER BY variant_id',
      [orderId],
    )
  ).map((r) => r.state);

/** Everything a suite needs: the API, a variant to sell, staff clients and a way to place orders. */
async function setUp(api: TestApi) {
  const variants = await api.db.query<{ id: string }>(
    `SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id
     WHERE p.status = 'published' ORDER BY v.price_amount, v.id LIMIT 3`,
  );
  expect(variants.length).toBe(3);
  // Plenty of stock and no backorders, so every test's arithmetic on stock is exact.
  await api.db.query(
    'UPDATE product_variants SET stock_on_hand = 1000, allow_backorder = false WHERE id = ANY($1::uuid[])',
    [variants.map((v) => v.id)],
  );
  const [shipping] = await api.db.query<{ id: string }>(
    `SELECT id FROM shipping_methods WHERE code = 'standard'`,
  );
  const owner = await staffToken(api, 'owner');
  const support = await staffToken(api, 'support');
  const editor = await staffToken(api, 'catalog_editor');

  /** Checks out a guest cart through the API. */
  const place = async (
    options: { card?: string; email?: string; name?: string; variantId?: string; quantity?: number } = {},
  ): Promise<Placed> => {
    const s = shopper(api);
    const added = await s.add(options.variantId ?? (variants[0]?.id as string), options.quantity ?? 1);
    expect(added.status).toBe(200);
    const response = await s.checkout({
      email: options.email ?? 'buyer@example.com',
      shippingAddress: { ...ADDRESS, name: options.name ?? ADDRESS.name },
      shippingMethodId: shipping?.id,
      payment: { method: options.card ?? CARD },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return { ...response.body.order, accessToken: response.body.accessToken };
  };

  return {
    variants: variants.map((v) => v.id),
    owner,
    admin: client(api, owner.token),
    support: client(api, support.token),
    editor: client(api, editor.token),
    place,
  };
}

type Suite = Awaited<ReturnType<typeof setUp>>;

/** The status and stable code of a refusal. */
const refusal = (response: { status: number; body: { code?: string } | null }) => ({
  status: response.status,
  code: response.body?.code,
});

describe.each(BACKENDS)('admin orders (%s)', (backend) => {
  let api: TestApi;
  let suite: Suite;
  let admin: Client;

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: 'fixture' });
    // An endpoint subscribed to everything (empty list), so every order event is recorded.
    await api.db.query(
      `INSERT INTO webhook_endpoints (url, secret, events) VALUES ('http://127.0.0.1:9/x', 'whsec_test', '{}')`,
    );
    suite = await setUp(api);
    admin = suite.admin;
  }, 120_000);
  afterAll(() => api?.close());

  it('lets support read orders but not act on them; catalog editors get nothing; no token is 401', async () => {
    await expectRoleMatrix(api, ORDER_ROUTES);

    const order = await suite.place();
    const read = await suite.support('GET', `${base}/${order.id}`);
    expect(read.status).toBe(200);
    expect(adminOrderSchema.parse(read.body).id).toBe(order.id);
    expect((await suite.support('GET', base)).status).toBe(200);
    for (const [path, body] of [
      ['fulfil', {}],
      ['deliver', undefined],
      ['cancel', {}],
      ['refunds', { amount: 1 }],
      ['capture', {}],
      ['resend-email', { kind: 'confirmation' }],
    ] as const) {
      const refused = await suite.support('POST', `${base}/${order.id}/${path}`, body);
      expect(refusal(refused), path).toEqual({ status: 403, code: 'forbidden' });
    }
    expect(refusal(await suite.editor('GET', base))).toEqual({ status: 403, code: 'forbidden' });
    expect(refusal(await suite.editor('GET', `${base}/${order.id}`))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    expect((await client(api, undefined)('GET', `${base}/${order.id}`)).status).toBe(401);
    // Nothing the refused calls tried happened.
    expect((await admin('GET', `${base}/${order.id}`)).body).toMatchObject({
      status: 'paid',
      paymentStatus: 'captured',
    });
    expect(await auditActions(api, order.id)).toEqual([]);
  });

  it('answers 404 order_not_found for an unknown order', async () => {
    expect(refusal(await admin('GET', `${base}/${UNKNOWN_ID}`))).toEqual({
      status: 404,
      code: 'order_not_found',
    });
    expect(refusal(await admin('POST', `${base}/${UNKNOWN_ID}/fulfil`, {}))).toEqual({
      status: 404,
      code: 'order_not_found',
    });
  });

  it('lists newest first, filters by status and payment status, searches number, email and name', async () => {
    const t = tag();
    const placed: Placed[] = [];
    for (let i = 0; i < 5; i++) {
      placed.push(await suite.place({ email: `list.${t}.${i}@example.com`, name: `Hopper ${t} ${i}` }));
    }
    const [p0, p1, p2, p3, p4] = placed as [Placed, Placed, Placed, Placed, Placed];
    expect((await admin('POST', `${base}/${p1.id}/fulfil`, {})).status).toBe(200);
    expect((await admin('POST', `${base}/${p3.id}/cancel`, {})).status).toBe(200);
    expect((await admin('POST', `${base}/${p4.id}/refunds`, { amount: 1 })).status).toBe(200);
    const newestFirst = [...placed].reverse().map((o) => o.id);

    const list = async (query: string) => {
      const response = await admin('GET', `${base}?${query}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return orderListSchema.parse(response.body);
    };
    const ids = async (query: string) => (await list(query)).items.map((o) => o.id);

    const byEmail = await list(`q=list.${t}`);
    expect(byEmail.items.map((o) => o.id)).toEqual(newestFirst);
    expect(byEmail.items[0]).toMatchObject({ number: p4.number, itemCount: 1, amountRefunded: 1 });
    expect(byEmail.nextCursor).toBeNull();
    // Case-insensitive fragment of the email, and of the shipping name.
    expect(await ids(`q=${encodeURIComponent(`LIST.${t.toUpperCase()}.2@`)}`)).toEqual([p2.id]);
    expect(await ids(`q=${encodeURIComponent(`hopper ${t}`)}`)).toEqual(newestFirst);
    expect(await ids(`q=${encodeURIComponent(`Hopper ${t} 0`)}`)).toEqual([p0.id]);

    // By order number, with or without the '#'.
    for (const q of [`#${p2.number}`, `${p2.number}`]) {
      const found = (await list(`q=${encodeURIComponent(q)}`)).items;
      expect(found.map((o) => o.id)).toContain(p2.id);
      for (const o of found) {
        expect(o.number === p2.number || o.email.includes(String(p2.number)), q).toBe(true);
      }
    }
    expect(await ids(`q=${encodeURIComponent(`#${p2.number}`)}&status=canceled`)).toEqual([]);

    expect(await ids(`q=list.${t}&status=canceled`)).toEqual([p3.id]);
    expect(await ids(`q=list.${t}&status=canceled,fulfilled`)).toEqual([p3.id, p1.id]);
    expect(await ids(`q=list.${t}&status=paid`)).toEqual([p4.id, p2.id, p0.id]);
    expect(await ids(`q=list.${t}&paymentStatus=partially_refunded`)).toEqual([p4.id]);
    expect(await ids(`q=list.${t}&paymentStatus=refunded,partially_refunded`)).toEqual([p4.id, p3.id]);
    expect(await ids(`q=list.${t}&status=paid&paymentStatus=captured`)).toEqual([p2.id, p0.id]);

    const everything = await list('limit=100');
    const placedAt = everything.items.map((o) => Date.parse(o.placedAt));
    expect(placedAt).toEqual([...placedAt].sort((a, b) => b - a));

    expect(refusal(await admin('GET', `${base}?status=bogus`))).toEqual({
      status: 400,
      code: expect.any(String),
    });
  });

  it('pages through every order exactly once with the cursor; refuses a cursor it never gave', async () => {
    // A few orders placed at once, so several share a placed_at down to the millisecond or less.
    await Promise.all(Array.from({ length: 4 }, () => suite.place()));
    const [count] = await api.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } =
        await admin('GET', `${base}?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...response.body.items.map((o) => o.id));
      cursor = response.body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(seen.length).toBe(count?.n);
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await admin('GET', `${base}?limit=100`)).body.items.map((o: { id: string }) => o.id);
    expect(seen.slice(0, all.length)).toEqual(all);

    // One page of a search, then the next.
    const first = await admin('GET', `${base}?limit=2`);
    const second = await admin('GET', `${base}?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((o: { id: string }) => o.id)).toEqual(seen.slice(2, 4));

    const crafted = (text: string) => Buffer.from(text).toString('base64url');
    for (const bad of [
      'garbage',
      crafted('not a date|00000000-0000-4000-8000-000000000000'),
      // JavaScript reads '1' as a date (2001-01-01); Postgres does not.
      crafted('1|00000000-0000-4000-8000-000000000000'),
      crafted(`${new Date().toISOString()}|not-a-uuid`),
      crafted(`${new Date().toISOString()}|${'-'.repeat(36)}`),
    ]) {
      expect(refusal(await admin('GET', `${base}?cursor=${bad}`)), bad).toEqual({
        status: 400,
        code: 'invalid_cursor',
      });
    }
  });

  it('fulfils with tracking and the shipped email, then delivers; every action audited and announced', async () => {
    const order = await suite.place();
    const tracking = {
      trackingNumber: '1Z999AA10123456784',
      carrier: 'UPS',
      trackingUrl: 'https://ups.example/t',
    };
    const fulfilled = await admin('POST', `${base}/${order.id}/fulfil`, tracking);
    expect(fulfilled.status).toBe(200);
    const view = adminOrderSchema.parse(fulfilled.body);
    expect(view).toMatchObject({
      status: 'fulfilled',
      paymentStatus: 'captured',
      tracking: { number: tracking.trackingNumber, carrier: 'UPS', url: tracking.trackingUrl },
    });
    expect(view.fulfilledAt).not.toBeNull();
    const [row] = await api.db.query<{ n: string; c: string; u: string }>(
      'SELECT tracking_number AS n, tracking_carrier AS c, tracking_url AS u FROM orders WHERE id = $1',
      [order.id],
    );
    expect(row).toEqual({ n: tracking.trackingNumber, c: 'UPS', u: tracking.trackingUrl });
    expect(await mailKeys(api, order.id)).toEqual([
      `order:${order.id}:confirmation`,
      `order:${order.id}:shipped`,
    ]);

    const again = await admin('POST', `${base}/${order.id}/fulfil`, {});
    expect(refusal(again)).toEqual({ status: 409, code: 'invalid_transition' });

    const delivered = await admin('POST', `${base}/${order.id}/deliver`);
    expect(delivered.status).toBe(200);
    expect(delivered.body.status).toBe('delivered');
    expect(delivered.body.deliveredAt).not.toBeNull();
    expect(delivered.body.history.map((h: { type: string }) => h.type)).toEqual(
      expect.arrayContaining(['placed', 'paid', 'fulfilled', 'delivered']),
    );

    const [audit] = await api.db.query<{ staff_id: string; before: unknown; after: unknown }>(
      `SELECT staff_id, before, after FROM audit_log WHERE entity_id = $1 AND action = 'order.fulfil'`,
      [order.id],
    );
    expect(audit).toMatchObject({
      staff_id: suite.owner.id,
      before: { status: 'paid' },
      after: { status: 'fulfilled' },
    });
    expect(await auditActions(api, order.id)).toEqual(['order.fulfil', 'order.deliver']);
    expect(await deliveredEvents(api, order.id)).toEqual(
      expect.arrayContaining(['order.paid', 'order.fulfilled', 'order.delivered']),
    );
  });

  it('refuses transitions the lifecycle does not allow, with 409 and a stable code', async () => {
    const paid = await suite.place();
    expect(refusal(await admin('POST', `${base}/${paid.id}/deliver`))).toEqual({
      status: 409,
      code: 'invalid_transition',
    });

    const shipped = await suite.place();
    expect((await admin('POST', `${base}/${shipped.id}/fulfil`, {})).status).toBe(200);
    expect(refusal(await admin('POST', `${base}/${shipped.id}/cancel`, {}))).toEqual({
      status: 409,
      code: 'invalid_transition',
    });
    expect((await admin('GET', `${base}/${shipped.id}`)).body.status).toBe('fulfilled');

    const canceled = await suite.place();
    expect((await admin('POST', `${base}/${canceled.id}/cancel`, { reason: 'duplicate' })).status).toBe(200);
    expect(refusal(await admin('POST', `${base}/${canceled.id}/fulfil`, {}))).toEqual({
      status: 409,
      code: 'invalid_transition',
    });
    expect(refusal(await admin('POST', `${base}/${canceled.id}/deliver`))).toEqual({
      status: 409,
      code: 'invalid_transition',
    });
    expect(refusal(await admin('POST', `${base}/${canceled.id}/cancel`, {}))).toEqual({
      status: 409,
      code: 'invalid_transition',
    });
    expect(refusal(await admin('POST', `${base}/${canceled.id}/refunds`, {}))).toEqual({
      status: 409,
      code: 'not_refundable',
    });
    expect(refusal(await admin('POST', `${base}/${canceled.id}/capture`, {}))).toEqual({
      status: 409,
      code: 'not_capturable',
    });

    // A refused action is not audited.
    expect(await auditActions(api, paid.id)).toEqual([]);
    expect(await auditActions(api, canceled.id)).toEqual(['order.cancel']);
  });

  it('refunds part, then the rest: partially_refunded, then refunded; one email per refund', async () => {
    const variant = suite.variants[1] as string;
    const before = await stockOf(api, variant);
    const order = await suite.place({ variantId: variant, quantity: 2 });
    expect(order.grandTotal).toBeGreaterThan(500);
    expect(await stockOf(api, variant)).toBe(before - 2);

    const part = await admin('POST', `${base}/${order.id}/refunds`, { amount: 500, reason: 'scratched' });
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({
      status: 'paid',
      paymentStatus: 'partially_refunded',
      amountRefunded: 500,
      refunds: [{ amount: 500, status: 'succeeded', reason: 'scratched', staffId: suite.owner.id }],
    });

    const tooMuch = await admin('POST', `${base}/${order.id}/refunds`, { amount: order.grandTotal });
    expect(refusal(tooMuch)).toEqual({ status: 409, code: 'refund_exceeds_captured' });
    expect(tooMuch.body.refundable).toBe(order.grandTotal - 500);
    expect((await admin('POST', `${base}/${order.id}/refunds`, { amount: 0 })).status).toBe(400);

    const rest = await admin('POST', `${base}/${order.id}/refunds`, {});
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({
      status: 'refunded',
      paymentStatus: 'refunded',
      amountRefunded: order.grandTotal,
    });
    const refunds = rest.body.refunds as { id: string; amount: number }[];
    expect(refunds.map((r) => r.amount)).toEqual([500, order.grandTotal - 500]);
    // Refunded in full before it shipped: the units go back on the shelf.
    expect(await stockOf(api, variant)).toBe(before);

    expect(await mailKeys(api, order.id)).toEqual([
      `order:${order.id}:confirmation`,
      ...refunds.map((r) => `order:${order.id}:refund:${r.id}`),
    ]);
    expect(refusal(await admin('POST', `${base}/${order.id}/refunds`, { amount: 1 }))).toEqual({
      status: 409,
      code: 'not_refundable',
    });
    expect(await auditActions(api, order.id)).toEqual(['order.refund', 'order.refund']);
    expect(await deliveredEvents(api, order.id)).toEqual(
      expect.arrayContaining(['order.paid', 'order.refunded', 'order.refunded']),
    );
    expect((await deliveredEvents(api, order.id)).filter((t) => t === 'order.refunded')).toHaveLength(2);
  });

  it('refunds a shipped order in full without putting its stock back', async () => {
    const variant = suite.variants[1] as string;
    const order = await suite.place({ variantId: variant });
    expect((await admin('POST', `${base}/${order.id}/fulfil`, {})).status).toBe(200);
    const before = await stockOf(api, variant);
    const refunded = await admin('POST', `${base}/${order.id}/refunds`, {});
    expect(refunded.body).toMatchObject({
      status: 'refunded',
      paymentStatus: 'refunded',
      amountRefunded: order.grandTotal,
    });
    expect(await stockOf(api, variant)).toBe(before);
  });

  it('a refund retried with the same Idempotency-Key refunds once; another body under it is 422', async () => {
    const order = await suite.place();
    const key = randomUUID();
    const first = await admin(
      'POST',
      `${base}/${order.id}/refunds`,
      { amount: 300 },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await admin(
      'POST',
      `${base}/${order.id}/refunds`,
      { amount: 300 },
      { 'idempotency-key': key },
    );
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    const reused = await admin(
      'POST',
      `${base}/${order.id}/refunds`,
      { amount: 400 },
      { 'idempotency-key': key },
    );
    expect(refusal(reused)).toEqual({ status: 422, code: 'idempotency_key_reused' });

    const [refunds] = await api.db.query<{ n: number; total: number }>(
      'SELECT count(*)::int AS n, coalesce(sum(amount), 0)::int AS total FROM order_refunds WHERE order_id = $1',
      [order.id],
    );
    expect(refunds).toEqual({ n: 1, total: 300 });
    const view = (await admin('GET', `${base}/${order.id}`)).body;
    expect(view).toMatchObject({ amountRefunded: 300, paymentStatus: 'partially_refunded' });
    expect((await mailKeys(api, order.id)).filter((k) => k.includes(':refund:'))).toHaveLength(1);
    expect(await auditActions(api, order.id)).toEqual(['order.refund']);

    // The same key on another order is its own request.
    const other = await suite.place();
    const elsewhere = await admin(
      'POST',
      `${base}/${other.id}/refunds`,
      { amount: 300 },
      { 'idempotency-key': key },
    );
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.headers['idempotent-replayed']).toBeUndefined();
    expect(elsewhere.body.id).toBe(other.id);
  });

  it('two refunds racing for the same money: one is made, the other refused', async () => {
    const order = await suite.place();
    const amount = order.grandTotal - 100;
    const answers = await Promise.all(
      [1, 2].map(() => admin('POST', `${base}/${order.id}/refunds`, { amount })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.code).toBe('refund_exceeds_captured');
    expect((await admin('GET', `${base}/${order.id}`)).body).toMatchObject({
      amountRefunded: amount,
      paymentStatus: 'partially_refunded',
    });
  });

  it('fulfil and cancel racing: one wins, and a shipped order keeps its money', async () => {
    for (let i = 0; i < 5; i++) {
      const order = await suite.place();
      const [fulfil, cancel] = await Promise.all([
        admin('POST', `${base}/${order.id}/fulfil`, {}),
        admin('POST', `${base}/${order.id}/cancel`, {}),
      ]);
      expect([fulfil.status, cancel.status].sort()).toEqual([200, 409]);
      const view = (await admin('GET', `${base}/${order.id}`)).body;
      const outcome = {
        status: view.status,
        paymentStatus: view.paymentStatus,
        amountRefunded: view.amountRefunded,
      };
      expect([
        { status: 'fulfilled', paymentStatus: 'captured', amountRefunded: 0 },
        { status: 'canceled', paymentStatus: 'refunded', amountRefunded: order.grandTotal },
      ]).toContainEqual(outcome);
    }
  });

  it('cancels a paid order: refunded in full, stock back, canceled email', async () => {
    const variant = suite.variants[2] as string;
    const before = await stockOf(api, variant);
    const order = await suite.place({ variantId: variant, quantity: 3 });
    expect(await stockOf(api, variant)).toBe(before - 3);

    const canceled = await admin('POST', `${base}/${order.id}/cancel`, { reason: 'customer asked' });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({
      status: 'canceled',
      paymentStatus: 'refunded',
      amountRefunded: order.grandTotal,
      cancelReason: 'customer asked',
    });
    expect(canceled.body.canceledAt).not.toBeNull();
    expect(canceled.body.refunds).toEqual([
      expect.objectContaining({ amount: order.grandTotal, status: 'succeeded' }),
    ]);
    expect(await stockOf(api, variant)).toBe(before);
    expect(await mailKeys(api, order.id)).toEqual([
      `order:${order.id}:confirmation`,
      `order:${order.id}:canceled`,
    ]);
    expect(await auditActions(api, order.id)).toEqual(['order.cancel']);
    expect(await deliveredEvents(api, order.id)).toEqual(expect.arrayContaining(['order.canceled']));
  });

  it('cancels a partly refunded paid order: refunds what is left', async () => {
    const order = await suite.place();
    expect((await admin('POST', `${base}/${order.id}/refunds`, { amount: 100 })).status).toBe(200);
    const canceled = await admin('POST', `${base}/${order.id}/cancel`, {});
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({
      status: 'canceled',
      paymentStatus: 'refunded',
      amountRefunded: order.grandTotal,
    });
  });

  it('cancels a pending (3-D Secure) order: the payment voided, the reservation released', async () => {
    const variant = suite.variants[2] as string;
    const before = await stockOf(api, variant);
    const order = await suite.place({ variantId: variant, card: THREE_D_SECURE_CARD });
    expect(order).toMatchObject({ status: 'pending', paymentStatus: 'requires_action' });
    expect(await reservationStates(api, order.id)).toEqual(['held']);
    expect(await stockOf(api, variant)).toBe(before);

    const canceled = await admin('POST', `${base}/${order.id}/cancel`, { reason: 'abandoned' });
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', paymentStatus: 'canceled', amountRefunded: 0 });
    expect(await reservationStates(api, order.id)).toEqual(['released']);
    expect(await stockOf(api, variant)).toBe(before);
    const paymentId = canceled.body.paymentId as string;
    expect((await api.runtime.payments.getPayment(paymentId)).status).toBe('canceled');
    // Nothing was paid: no canceled email.
    expect(await mailKeys(api, order.id)).toEqual([]);

    // The shopper finishing the challenge afterwards cannot revive it.
    const late = await shopper(api).request(
      'POST',
      `/api/orders/${order.id}/payment/test-authenticate?token=${order.accessToken}`,
      {},
    );
    expect(late.status).toBe(409);
    expect((await admin('GET', `${base}/${order.id}`)).body.status).toBe('canceled');
  });

  it('resends an email under a new key, and refuses one that does not apply', async () => {
    const order = await suite.place();
    const resent = await admin('POST', `${base}/${order.id}/resend-email`, { kind: 'confirmation' });
    expect(resent.status).toBe(200);
    const keys = await mailKeys(api, order.id);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(`order:${order.id}:confirmation`);
    expect(keys[1]).toMatch(new RegExp(`^order:${order.id}:confirmation:resend:`));
    expect(new Set(keys).size).toBe(2);

    for (const kind of ['shipped', 'canceled', 'refund']) {
      expect(refusal(await admin('POST', `${base}/${order.id}/resend-email`, { kind })), kind).toEqual({
        status: 409,
        code: 'email_not_applicable',
      });
    }
    expect((await admin('POST', `${base}/${order.id}/resend-email`, { kind: 'nope' })).status).toBe(400);
    expect(await auditActions(api, order.id)).toEqual(['order.resend_email']);
  });

  it('emits order.paid, order.fulfilled and order.refunded to subscribed webhook endpoints', async () => {
    const order = await suite.place();
    expect(await deliveredEvents(api, order.id)).toContain('order.paid');
    expect((await admin('POST', `${base}/${order.id}/fulfil`, {})).status).toBe(200);
    expect((await admin('POST', `${base}/${order.id}/refunds`, { amount: 50 })).status).toBe(200);
    const events = await deliveredEvents(api, order.id);
    for (const type of ['order.paid', 'order.fulfilled', 'order.refunded']) {
      expect(
        events.filter((t) => t === type),
        type,
      ).toHaveLength(1);
    }
    const [refunded] = await api.db.query<{ payload: { type: string; data: Record<string, unknown> } }>(
      `SELECT payload FROM webhook_deliveries WHERE payload->'data'->>'id' = $1 AND event_type = 'order.refunded'`,
      [order.id],
    );
    expect(refunded?.payload).toMatchObject({
      type: 'order.refunded',
      data: { id: order.id, status: 'fulfilled', paymentStatus: 'partially_refunded', amountRefunded: 50 },
    });
    const [jobs] = await api.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE queue = 'webhook.deliver'
       AND payload->>'deliveryId' IN (SELECT id::text FROM webhook_deliveries WHERE payload->'data'->>'id' = $1)`,
      [order.id],
    );
    expect(jobs?.n).toBe(events.length);
  });
});

describe.each(BACKENDS)('admin orders with manual capture (%s)', (backend) => {
  let api: TestApi;
  let suite: Suite;
  let admin: Client;
  let provider: TestPaymentProvider;

  beforeAll(async () => {
    provider = createTestPaymentProvider({ captureMethod: 'manual' });
    api = await startTestApi(backend, { seed: 'fixture', payments: provider });
    suite = await setUp(api);
    admin = suite.admin;
  }, 120_000);
  afterAll(() => api?.close());

  it('an authorized order is paid but not captured; capture takes the money once', async () => {
    const order = await suite.place();
    expect(order).toMatchObject({ status: 'paid', paymentStatus: 'authorized' });
    const view = (await admin('GET', `${base}/${order.id}`)).body;
    expect(view).toMatchObject({ amountCaptured: 0 });

    expect(refusal(await admin('POST', `${base}/${order.id}/refunds`, {}))).toEqual({
      status: 409,
      code: 'not_refundable',
    });
    expect(
      refusal(await admin('POST', `${base}/${order.id}/capture`, { amount: order.grandTotal + 1 })),
    ).toEqual({ status: 400, code: 'amount_too_large' });

    const captured = await admin('POST', `${base}/${order.id}/capture`, {});
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({
      status: 'paid',
      paymentStatus: 'captured',
      amountCaptured: order.grandTotal,
    });
    expect((await provider.getPayment(view.paymentId)).status).toBe('succeeded');
    expect(refusal(await admin('POST', `${base}/${order.id}/capture`, {}))).toEqual({
      status: 409,
      code: 'not_capturable',
    });
    expect(await auditActions(api, order.id)).toEqual(['order.capture']);

    // Captured money can now be refunded.
    const refunded = await admin('POST', `${base}/${order.id}/refunds`, {});
    expect(refunded.body).toMatchObject({ status: 'refunded', amountRefunded: order.grandTotal });
  });

  it('a partial capture refunds only what was captured', async () => {
    const order = await suite.place();
    const captured = await admin('POST', `${base}/${order.id}/capture`, { amount: order.grandTotal - 100 });
    expect(captured.body).toMatchObject({
      paymentStatus: 'captured',
      amountCaptured: order.grandTotal - 100,
    });
    const tooMuch = await admin('POST', `${base}/${order.id}/refunds`, { amount: order.grandTotal });
    expect(refusal(tooMuch)).toEqual({ status: 409, code: 'refund_exceeds_captured' });
    expect(tooMuch.body.refundable).toBe(order.grandTotal - 100);
  });

  it('fulfilling an authorized order captures it first', async () => {
    const order = await suite.place();
    const fulfilled = await admin('POST', `${base}/${order.id}/fulfil`, { trackingNumber: 'TRK1' });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body).toMatchObject({
      status: 'fulfilled',
      paymentStatus: 'captured',
      amountCaptured: order.grandTotal,
    });
    expect((await provider.getPayment(fulfilled.body.paymentId)).status).toBe('succeeded');
    expect(await mailKeys(api, order.id)).toContain(`order:${order.id}:shipped`);
  });

  it('canceling an authorized order voids the payment and puts the stock back', async () => {
    const variant = suite.variants[1] as string;
    const before = await stockOf(api, variant);
    const order = await suite.place({ variantId: variant, quantity: 2 });
    expect(await stockOf(api, variant)).toBe(before - 2);
    const canceled = await admin('POST', `${base}/${order.id}/cancel`, {});
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', paymentStatus: 'canceled', amountRefunded: 0 });
    expect((await provider.getPayment(canceled.body.paymentId)).status).toBe('canceled');
    expect(await stockOf(api, variant)).toBe(before);
    expect(await mailKeys(api, order.id)).toContain(`order:${order.id}:canceled`);
  });
});
