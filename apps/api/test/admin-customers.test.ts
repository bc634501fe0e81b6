import { randomInt } from 'node:crypto';
import {
  adminCustomerListSchema,
  adminCustomerSchema,
  anonymisedEmail,
  problemSchema,
  tokenResponseSchema,
} from '@e3d/contracts';
import { type Client, client, expectRoleMatrix, type RouteCase, UNKNOWN_ID } from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { shopper } from '@e3d/testing/shopper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PASSWORD = 'correct horse battery';
const CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000 0000 0000 0002';
const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 St James Square',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};
const base = '/api/admin/customers';

const ROUTES: RouteCase[] = [
  { method: 'GET', url: base, permission: 'customers:read' },
  { method: 'GET', url: `${base}/${UNKNOWN_ID}`, permission: 'customers:read' },
  {
    method: 'POST',
    url: `${base}/${UNKNOWN_ID}/anonymise`,
    permission: 'customers:write',
    body: { reason: 'erasure request' },
  },
];

/** A letters-only tag to find this test's customers. */
const tag = () =>
  Array.from({ length: 10 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe.each(BACKENDS)('admin customers (%s)', (backend) => {
  let api: TestApi;
  let owner: Client;
  let support: Client;
  let editor: Client;
  let shipping: string;
  let variantId: string;

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, token?: string) =>
    api.app.inject({
      method,
      url,
      remoteAddress: randomIp(),
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  /** Registers through the API (a real session with a refresh token), adds an address. */
  const register = async (email: string, name: string) => {
    const response = await call('POST', '/api/auth/register', {
      email,
      password: PASSWORD,
      name,
      mode: 'token',
    });
    expect(response.statusCode, response.body).toBe(201);
    const tokens = tokenResponseSchema.parse(response.json());
    const me = await call('GET', '/api/me', undefined, tokens.accessToken);
    const added = await call('POST', '/api/me/addresses', ADDRESS, tokens.accessToken);
    expect(added.statusCode, added.body).toBe(201);
    return { id: me.json().id as string, email, tokens };
  };

  /** Checks out as the signed-in customer. */
  const buy = async (token: string, email: string, quantity: number, card = CARD) => {
    const s = shopper(api, token);
    expect((await s.add(variantId, quantity)).status).toBe(200);
    const response = await s.checkout({
      email,
      shippingAddress: ADDRESS,
      shippingMethodId: shipping,
      payment: { method: card },
    });
    return response;
  };

  const list = async (query: string, as: Client = owner) => {
    const response = await as('GET', `${base}?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return adminCustomerListSchema.parse(response.body);
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: 'fixture' });
    owner = client(api, (await staffToken(api, 'owner')).token);
    support = client(api, (await staffToken(api, 'support')).token);
    editor = client(api, (await staffToken(api, 'catalog_editor')).token);
    const [method] = await api.db.query<{ id: string }>(
      `SELECT id FROM shipping_methods WHERE code = 'standard'`,
    );
    shipping = method?.id ?? '';
    const [variant] = await api.db.query<{ id: string }>(
      `SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id
        WHERE p.status = 'published' ORDER BY v.price_amount, v.id LIMIT 1`,
    );
    variantId = variant?.id ?? '';
    await api.db.query(
      'UPDATE product_variants SET stock_on_hand = 1000, allow_backorder = false WHERE id = $1',
      [variantId],
    );
  }, 120_000);
  afterAll(() => api?.close());

  it('needs customers:read to look and customers:write to anonymise', async () => {
    await expectRoleMatrix(api, ROUTES);
    expect((await support('GET', base)).status).toBe(200);
    const refused = await support('POST', `${base}/${UNKNOWN_ID}/anonymise`, { reason: 'x' });
    expect(refused.status).toBe(403);
    expect(problemSchema.parse(refused.body).code).toBe('forbidden');
    expect((await editor('GET', base)).status).toBe(403);
  });

  it('lists newest first with order figures; searches email and name; filters status; pages', async () => {
    const t = tag();
    const first = await register(`first.${t}@example.com`, `Lovelace ${t}`);
    const second = await register(`second.${t}@example.com`, `Hopper ${t}`);
    const third = await register(`third.${t}@example.com`, `Turing ${t}`);

    // Second buys twice (one partly refunded) and is declined once; first buys nothing.
    const one = await buy(second.tokens.accessToken, second.email, 1);
    const two = await buy(second.tokens.accessToken, second.email, 3);
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect((await buy(second.tokens.accessToken, second.email, 1, DECLINED_CARD)).status).toBe(402);
    expect(
      (await owner('POST', `/api/admin/orders/${two.body.order.id}/refunds`, { amount: 100 })).status,
    ).toBe(200);

    const found = await list(`q=${t}`);
    expect(found.items.map((c) => c.id)).toEqual([third.id, second.id, first.id]);
    expect(found.nextCursor).toBeNull();
    const buyer = found.items[1];
    expect(buyer).toMatchObject({
      email: second.email,
      name: `Hopper ${t}`,
      status: 'active',
      ordersCount: 3,
      totalSpent: {
        amount: one.body.order.grandTotal + two.body.order.grandTotal - 100,
        currency: 'USD',
      },
    });
    // The declined checkout is the latest order.
    const [latest] = await api.db.query<{ at: Date }>(
      'SELECT max(placed_at) AS at FROM orders WHERE customer_id = $1',
      [second.id],
    );
    expect(buyer?.lastOrderAt).toBe(new Date(latest?.at as Date).toISOString());
    expect(found.items[2]).toMatchObject({ ordersCount: 0, totalSpent: null, lastOrderAt: null });

    // Case-insensitive substrings of the email, and of the name.
    expect(
      (await list(`q=${encodeURIComponent(`SECOND.${t.toUpperCase()}`)}`)).items.map((c) => c.id),
    ).toEqual([second.id]);
    expect((await list(`q=${encodeURIComponent(`turing ${t}`)}`)).items.map((c) => c.id)).toEqual([third.id]);
    expect((await list(`q=${t}&status=deleted`)).items).toEqual([]);
    expect((await list(`q=${t}&status=active`)).items).toHaveLength(3);
    // LIKE wildcards are taken literally.
    expect((await list(`q=${encodeURIComponent('%')}${t}`)).items).toEqual([]);

    // One at a time: each exactly once, in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        `q=${t}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([third.id, second.id, first.id]);
    const bad = await owner('GET', `${base}?cursor=nonsense`);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_cursor');
    expect((await owner('GET', `${base}?status=disabled`)).status).toBe(400);
  });

  it('shows one customer with addresses and orders, newest first', async () => {
    const t = tag();
    const c = await register(`detail.${t}@example.com`, `Detail ${t}`);
    const a = await buy(c.tokens.accessToken, c.email, 1);
    const b = await buy(c.tokens.accessToken, c.email, 2);
    const response = await support('GET', `${base}/${c.id}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const detail = adminCustomerSchema.parse(response.body);
    expect(detail).toMatchObject({
      id: c.id,
      email: c.email,
      name: `Detail ${t}`,
      status: 'active',
      marketingOptIn: false,
      ordersCount: 2,
      totalSpent: { amount: a.body.order.grandTotal + b.body.order.grandTotal, currency: 'USD' },
    });
    expect(detail.addresses).toHaveLength(1);
    expect(detail.addresses[0]).toMatchObject({ name: ADDRESS.name, city: 'London', country: 'GB' });
    expect(detail.orders.map((o) => o.id)).toEqual([b.body.order.id, a.body.order.id]);
    expect(detail.orders[0]).toMatchObject({ customerId: c.id, itemCount: 2, email: c.email });

    const missing = await owner('GET', `${base}/${UNKNOWN_ID}`);
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('customer_not_found');
  });

  it('anonymises: personal data gone, sessions ended, orders kept, audited; twice is 409', async () => {
    const t = tag();
    const c = await register(`erase.${t}@example.com`, `Erase ${t}`);
    const order = await buy(c.tokens.accessToken, c.email, 1);
    expect(order.status).toBe(201);
    await api.db.query('UPDATE customers SET marketing_opt_in = true WHERE id = $1', [c.id]);

    const empty = await owner('POST', `${base}/${c.id}/anonymise`, { reason: '' });
    expect(empty.status).toBe(400);

    const response = await owner('POST', `${base}/${c.id}/anonymise`, { reason: 'GDPR erasure request #42' });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const after = adminCustomerSchema.parse(response.body);
    expect(after).toMatchObject({
      id: c.id,
      email: anonymisedEmail(c.id),
      name: '',
      status: 'deleted',
      marketingOptIn: false,
      addresses: [],
      ordersCount: 1,
      totalSpent: { amount: order.body.order.grandTotal, currency: 'USD' },
    });
    // Orders are accounting records: still there, still the customer's.
    expect(after.orders.map((o) => o.id)).toEqual([order.body.order.id]);
    const [row] = await api.db.query<{
      email: string | null;
      password_hash: string | null;
      addresses: number;
    }>(
      `SELECT email, password_hash, (SELECT count(*)::int FROM customer_addresses WHERE customer_id = $1) AS addresses
         FROM customers WHERE id = $1`,
      [c.id],
    );
    expect(row).toEqual({ email: null, password_hash: null, addresses: 0 });

    // The session is over: the refresh token no longer works, nor does signing in.
    const refreshed = await call('POST', '/api/auth/refresh', { refreshToken: c.tokens.refreshToken });
    expect(refreshed.statusCode).toBe(401);
    const login = await call('POST', '/api/auth/login', { email: c.email, password: PASSWORD });
    expect(login.statusCode).toBe(401);
    // The address is free for a new account.
    expect(
      (await call('POST', '/api/auth/register', { email: c.email, password: PASSWORD, name: 'New' }))
        .statusCode,
    ).toBe(201);

    // Audited with the reason, and without the erased data.
    const audit = await api.db.query<{ action: string; before: unknown; after: { reason: string } }>(
      `SELECT action, before, after FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1`,
      [c.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.action).toBe('customer.anonymise');
    expect(audit[0]?.after.reason).toBe('GDPR erasure request #42');
    expect(JSON.stringify(audit)).not.toContain(c.email);
    expect(JSON.stringify(audit)).not.toContain(`Erase ${t}`);

    const again = await owner('POST', `${base}/${c.id}/anonymise`, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('customer_already_anonymised');
    const unknown = await owner('POST', `${base}/${UNKNOWN_ID}/anonymise`, { reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('customer_not_found');
    expect(
      (
        await api.db.query(`SELECT 1 FROM audit_log WHERE entity_type = 'customer' AND entity_id = $1`, [
          c.id,
        ])
      ).length,
    ).toBe(1);

    // Listed as deleted, by its placeholder.
    const deleted = await list('status=deleted&limit=100');
    expect(deleted.items.find((x) => x.id === c.id)).toMatchObject({
      email: anonymisedEmail(c.id),
      status: 'deleted',
      ordersCount: 1,
    });
  });

  it('the customer closing their own account is the same anonymisation', async () => {
    const t = tag();
    const c = await register(`self.${t}@example.com`, `Self ${t}`);
    const closed = await call('DELETE', '/api/me', { password: PASSWORD }, c.tokens.accessToken);
    expect(closed.statusCode, closed.body).toBe(204);
    const detail = adminCustomerSchema.parse((await owner('GET', `${base}/${c.id}`)).body);
    expect(detail).toMatchObject({
      email: anonymisedEmail(c.id),
      name: '',
      status: 'deleted',
      addresses: [],
    });
    const again = await owner('POST', `${base}/${c.id}/anonymise`, { reason: 'asked twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('customer_already_anonymised');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/admin/customers'].get.summary).toBeTruthy();
    const anonymise = doc.paths['/api/admin/customers/{customerId}/anonymise'].post;
    expect(Object.keys(anonymise.responses)).toEqual(expect.arrayContaining(['200', '403', '404', '409']));
    expect(doc.components.schemas.AdminCustomer).toBeDefined();
    expect(doc.components.schemas.AdminCustomerList).toBeDefined();
  });
});
