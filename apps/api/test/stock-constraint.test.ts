import { seedDemoCommerceSettings } from '@e3d/commerce';
import { problemSchema } from '@e3d/contracts';
import { type Client, client } from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { ADDRESS, shopper } from '@e3d/testing/shopper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const THREE_D_SECURE_CARD = '4000 0027 6000 3184';

/**
 * stock_on_hand may be below zero only with backorders (migration 0012). The writes that can
 * run into that answer a clear conflict instead of a 500.
 */
describe.each(BACKENDS)('stock never below zero without backorders, on %s', (backend) => {
  let api: TestApi;
  let admin: Client;
  let standard: string;

  /** A published product with one variant; returns its ids and version. */
  const product = async (sku: string, variant: { stock: number; allowBackorder: boolean }) => {
    const created = await admin('POST', '/api/admin/products', {
      title: `Lamp ${sku}`,
      variants: [{ sku, price: { amount: 4_900, currency: 'USD' }, ...variant }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const body = created.body as { id: string; version: number; variants: { id: string }[] };
    const published = await admin('POST', `/api/admin/products/${body.id}/publish`, {
      version: body.version,
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    return {
      productId: body.id,
      variantId: body.variants[0]?.id ?? '',
      version: (published.body as { version: number }).version,
    };
  };
  const stockOf = async (variantId: string) =>
    (
      await api.db.query<{ s: number }>('SELECT stock_on_hand AS s FROM product_variants WHERE id = $1', [
        variantId,
      ])
    )[0]?.s;

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
    await seedDemoCommerceSettings(api.db);
    const [method] = await api.db.query<{ id: string }>(
      `SELECT id FROM shipping_methods WHERE code = 'standard'`,
    );
    standard = method?.id ?? '';
    admin = client(api, (await staffToken(api, 'admin')).token);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses to turn backorders off while backorders keep the stock below zero (409, not 500)', async () => {
    const { productId, variantId, version } = await product('BACKORDER-1', {
      stock: 0,
      allowBackorder: true,
    });
    // Three units sold ahead of stock.
    await api.db.query('UPDATE product_variants SET stock_on_hand = -3 WHERE id = $1', [variantId]);
    const url = `/api/admin/products/${productId}/variants/${variantId}`;
    const refused = await admin('PATCH', url, { version, allowBackorder: false });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    const problem = problemSchema.parse(refused.body);
    expect(problem.code).toBe('stock_below_zero');
    expect(problem.errors?.map((e) => e.field)).toEqual(['allowBackorder']);
    expect(await stockOf(variantId)).toBe(-3);
    // Counting the shelf again and turning backorders off in one edit is fine.
    const recounted = await admin('PATCH', url, { version, allowBackorder: false, stock: 0 });
    expect(recounted.status, JSON.stringify(recounted.body)).toBe(200);
    expect(await stockOf(variantId)).toBe(0);
  });

  it('cancels and refunds an order whose held units staff took off the shelf meanwhile, instead of failing the payment', async () => {
    const { productId, variantId, version } = await product('LAST-LAMP', { stock: 1, allowBackorder: false });
    const s = shopper(api);
    expect((await s.add(variantId, 1)).status).toBe(200);
    const placed = await s.checkout({
      email: 'buyer@example.com',
      shippingAddress: ADDRESS,
      shippingMethodId: standard,
      payment: { method: THREE_D_SECURE_CARD },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.order).toMatchObject({ status: 'pending', paymentStatus: 'requires_action' });
    // While the shopper is at the bank's challenge, a recount finds the lamp broken.
    const recount = await admin('PATCH', `/api/admin/products/${productId}/variants/${variantId}`, {
      version,
      stock: 0,
    });
    expect(recount.status, JSON.stringify(recount.body)).toBe(200);

    const { id } = placed.body.order as { id: string };
    const token = placed.body.accessToken as string;
    const passed = await s.request('POST', `/api/orders/${id}/payment/test-authenticate?token=${token}`, {});
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);
    expect(passed.body).toMatchObject({ status: 'canceled' });
    const [order] = await api.db.query<{ cancel_reason: string }>(
      'SELECT cancel_reason FROM orders WHERE id = $1',
      [id],
    );
    expect(order?.cancel_reason).toBe('out_of_stock');
    expect(await stockOf(variantId)).toBe(0);
  });
});
