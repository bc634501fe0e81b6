import { adminOrderSchema, dashboardSchema, LOW_STOCK_THRESHOLD } from '@e3d/contracts';
import { type Client, client, tokensForEveryRole } from '@e3d/testing/admin-api';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { shopper } from '@e3d/testing/shopper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADDRESS = {
  name: 'Grace Hopper',
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};
const CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000 0000 0000 0002';
const DAY_MS = 86_400_000;
const url = '/api/admin/dashboard';

/** The UTC date `daysAgo` days before today, as the dashboard names days. */
const dateAgo = (daysAgo: number) =>
  new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - daysAgo * DAY_MS).toISOString().slice(0, 10);

describe.each(BACKENDS)('admin dashboard (%s)', (backend) => {
  let api: TestApi;
  let owner: Client;
  let support: Client;
  let editor: Client;
  let customer: Client;
  let shipping: string;
  /** One variant each of three different published products. */
  let products: { productId: string; variantId: string; title: string; handle: string }[];

  const place = async (variantId: string, quantity: number, card = CARD) => {
    const s = shopper(api);
    expect((await s.add(variantId, quantity)).status).toBe(200);
    const response = await s.checkout({
      email: 'dashboard@example.com',
      shippingAddress: ADDRESS,
      shippingMethodId: shipping,
      payment: { method: card },
    });
    return response;
  };
  const placePaid = async (variantId: string, quantity: number) => {
    const response = await place(variantId, quantity);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return adminOrderSchema.parse((await owner('GET', `/api/admin/orders/${response.body.order.id}`)).body);
  };
  const moveBack = (orderId: string, days: number) =>
    api.db.query(`UPDATE orders SET placed_at = placed_at - make_interval(days => $2) WHERE id = $1`, [
      orderId,
      days,
    ]);
  const dashboard = async (as: Client, query = '') => {
    const response = await as('GET', `${url}${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return dashboardSchema.parse(response.body);
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: 'fixture' });
    const tokens = await tokensForEveryRole(api);
    owner = client(api, tokens.staff.owner);
    support = client(api, tokens.staff.support);
    editor = client(api, tokens.staff.catalog_editor);
    customer = client(api, tokens.customer);
    const [method] = await api.db.query<{ id: string }>(
      `SELECT id FROM shipping_methods WHERE code = 'standard'`,
    );
    shipping = method?.id ?? '';
    products = await api.db.query(
      `SELECT DISTINCT ON (p.price_min, p.id) p.id AS "productId", v.id AS "variantId", p.title, p.handle
         FROM products p JOIN product_variants v ON v.product_id = p.id
        WHERE p.status = 'published' ORDER BY p.price_min, p.id, v.position, v.sku LIMIT 3`,
    );
    expect(products.length).toBe(3);
    // Every variant comfortably stocked: the low-stock list holds only what a test puts there.
    await api.db.query('UPDATE product_variants SET stock_on_hand = 1000, allow_backorder = false');
  }, 120_000);
  afterAll(() => api?.close());

  it('starts empty: 30 zero days ending today, no best sellers, nothing low or failed', async () => {
    const empty = await dashboard(owner);
    expect(empty.days).toBe(30);
    expect(empty.currency).toBe('USD');
    expect(empty.sales?.series).toHaveLength(30);
    expect(empty.sales?.series[0]?.date).toBe(dateAgo(29));
    expect(empty.sales?.series.at(-1)?.date).toBe(dateAgo(0));
    expect(empty.sales?.series.every((d) => d.revenue === 0 && d.orders === 0)).toBe(true);
    expect(empty.sales?.totals).toEqual({ revenue: 0, orders: 0, averageOrderValue: 0 });
    expect(empty.sales?.previousTotals).toEqual({ revenue: 0, orders: 0 });
    expect(empty.bestSellers).toEqual([]);
    expect(empty.lowStock).toEqual([]);
    expect(empty.failedMedia).toEqual([]);
  });

  it('sums paid orders per day net of refunds; declined and older orders stay out', async () => {
    const [a, b, c] = products as [(typeof products)[0], (typeof products)[0], (typeof products)[0]];
    const today = await placePaid(a.variantId, 2);
    const threeDaysAgo = await placePaid(b.variantId, 1);
    await moveBack(threeDaysAgo.id, 3);
    const declined = await place(a.variantId, 7, DECLINED_CARD);
    expect(declined.status).toBe(402);
    // In the previous 30 days, and far back: neither counts in this period's figures.
    const previous = await placePaid(c.variantId, 5);
    await moveBack(previous.id, 40);
    const ancient = await placePaid(c.variantId, 9);
    await moveBack(ancient.id, 100);
    // A canceled order (refunded in full) is no sale.
    const canceled = await placePaid(c.variantId, 4);
    expect((await owner('POST', `/api/admin/orders/${canceled.id}/cancel`, {})).status).toBe(200);

    const refund = 500;
    expect((await owner('POST', `/api/admin/orders/${today.id}/refunds`, { amount: refund })).status).toBe(
      200,
    );

    const d = await dashboard(owner);
    const sales = d.sales as NonNullable<typeof d.sales>;
    const todayRevenue = today.grandTotal - refund;
    expect(sales.series.at(-1)).toEqual({ date: dateAgo(0), revenue: todayRevenue, orders: 1 });
    expect(sales.series.at(-4)).toEqual({ date: dateAgo(3), revenue: threeDaysAgo.grandTotal, orders: 1 });
    expect(sales.series.filter((day) => day.orders > 0)).toHaveLength(2);
    const revenue = todayRevenue + threeDaysAgo.grandTotal;
    expect(sales.totals).toEqual({ revenue, orders: 2, averageOrderValue: Math.round(revenue / 2) });
    expect(sales.previousTotals).toEqual({ revenue: previous.grandTotal, orders: 1 });

    // Best sellers of the period, by quantity; the line totals are the revenue.
    const lineTotal = (order: typeof today) => order.lines.reduce((sum, l) => sum + l.total, 0);
    expect(d.bestSellers).toEqual([
      { productId: a.productId, title: a.title, handle: a.handle, quantity: 2, revenue: lineTotal(today) },
      {
        productId: b.productId,
        title: b.title,
        handle: b.handle,
        quantity: 1,
        revenue: lineTotal(threeDaysAgo),
      },
    ]);

    // A 7-day window sees the same two orders; a 365-day one the older ones too.
    const week = await dashboard(owner, '?days=7');
    expect(week.sales?.series).toHaveLength(7);
    expect(week.sales?.totals.orders).toBe(2);
    expect(week.sales?.previousTotals).toEqual({ revenue: 0, orders: 0 });
    const year = await dashboard(owner, '?days=365');
    expect(year.sales?.series).toHaveLength(365);
    expect(year.sales?.totals).toMatchObject({
      orders: 4,
      revenue: revenue + previous.grandTotal + ancient.grandTotal,
    });
    expect(year.bestSellers?.[0]).toMatchObject({ productId: c.productId, quantity: 14 });
  });

  it('lists variants running low, lowest first, and media that failed, newest first', async () => {
    const [a, b, c] = products as [(typeof products)[0], (typeof products)[0], (typeof products)[0]];
    await api.db.query('UPDATE product_variants SET stock_on_hand = 2 WHERE id = $1', [a.variantId]);
    await api.db.query('UPDATE product_variants SET stock_on_hand = $2 WHERE id = $1', [
      b.variantId,
      LOW_STOCK_THRESHOLD,
    ]);
    // Just above the threshold, backordered, or archived: none of them is listed.
    await api.db.query('UPDATE product_variants SET stock_on_hand = $2 WHERE id = $1', [
      c.variantId,
      LOW_STOCK_THRESHOLD + 1,
    ]);
    const [backordered] = await api.db.query<{ id: string }>(
      `UPDATE product_variants SET stock_on_hand = 0, allow_backorder = true
        WHERE id = (SELECT id FROM product_variants WHERE id <> ALL($1::uuid[]) ORDER BY id LIMIT 1) RETURNING id`,
      [products.map((p) => p.variantId)],
    );
    const [archived] = await api.db.query<{ id: string }>(
      `INSERT INTO products (handle, title, status) VALUES ('archived-thing', 'Archived thing', 'archived') RETURNING id`,
    );
    await api.db.query(
      `INSERT INTO product_variants (product_id, sku, title, price_amount, currency, stock_on_hand)
       VALUES ($1, 'ARCHIVED-1', 'Default', 1000, 'USD', 0)`,
      [archived?.id],
    );
    expect(backordered).toBeDefined();

    const variantTitle = async (id: string) =>
      (
        await api.db.query<{ title: string; sku: string }>(
          'SELECT title, sku FROM product_variants WHERE id = $1',
          [id],
        )
      )[0];
    const low = (await dashboard(owner)).lowStock;
    expect(low).toEqual([
      {
        productId: a.productId,
        productTitle: a.title,
        variantId: a.variantId,
        variantTitle: (await variantTitle(a.variantId))?.title,
        sku: (await variantTitle(a.variantId))?.sku,
        stock: 2,
      },
      {
        productId: b.productId,
        productTitle: b.title,
        variantId: b.variantId,
        variantTitle: (await variantTitle(b.variantId))?.title,
        sku: (await variantTitle(b.variantId))?.sku,
        stock: LOW_STOCK_THRESHOLD,
      },
    ]);

    const fail = (filename: string, code: string, minutesAgo: number) =>
      api.db.query<{ id: string }>(
        `INSERT INTO product_media (product_id, kind, status, upload_filename, failure_code, failure_message, created_at)
         VALUES ($1, 'model', 'failed', $2, $3, 'The file is not glTF.', now() - make_interval(mins => $4))
         RETURNING id`,
        [a.productId, filename, code, minutesAgo],
      );
    const [older] = await fail('older.glb', 'not_gltf', 10);
    const [newer] = await fail('broken.glb', 'gltf_invalid', 1);
    const failed = (await dashboard(owner)).failedMedia;
    expect(failed).toEqual([
      {
        mediaId: newer?.id,
        productId: a.productId,
        productTitle: a.title,
        kind: 'model',
        filename: 'broken.glb',
        failure: { code: 'gltf_invalid', message: 'The file is not glTF.' },
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      expect.objectContaining({ mediaId: older?.id, filename: 'older.glb' }),
    ]);
  });

  it('shows each role only its sections; customers and strangers get nothing', async () => {
    const full = await dashboard(owner);
    expect(full.sales).not.toBeNull();
    expect(full.lowStock).not.toBeNull();

    const asSupport = await dashboard(support);
    expect(asSupport.sales).toEqual(full.sales);
    expect(asSupport.bestSellers).toEqual(full.bestSellers);
    expect(asSupport.lowStock).toEqual(full.lowStock);

    const asEditor = await dashboard(editor);
    expect(asEditor.sales).toBeNull();
    expect(asEditor.bestSellers).toBeNull();
    expect(asEditor.lowStock).toEqual(full.lowStock);
    expect(asEditor.failedMedia).toEqual(full.failedMedia);

    expect((await customer('GET', url)).status).toBe(403);
    expect((await client(api, undefined)('GET', url)).status).toBe(401);
  });

  it('refuses a period outside 7..365 days', async () => {
    for (const days of ['6', '366', 'abc']) {
      const response = await owner('GET', `${url}?days=${days}`);
      expect(response.status, days).toBe(400);
      expect(response.body.code).toBe('invalid_parameter');
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/admin/dashboard'].get;
    expect(op.summary).toBeTruthy();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    expect(doc.components.schemas.Dashboard).toBeDefined();
  });
});
