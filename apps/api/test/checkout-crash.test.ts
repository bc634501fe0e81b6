import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commerceContextFromConfig, expireLapsedOrders, seedDemoCommerceSettings } from '@e3d/commerce';
import { type Connection, type Database, migrate, openDatabase } from '@e3d/db';
import {
  createStripePaymentProvider,
  createTestPaymentProvider,
  PaymentError,
  type PaymentProvider,
  stripeTestSignature,
} from '@e3d/payments';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { type FakeStripe, startFakeStripe } from '@e3d/testing/fake-stripe';
import { freePort } from '@e3d/testing/ports';
import { BACKENDS, createPostgresDatabase } from '@e3d/testing/postgres';
import { ADDRESS, shopper } from '@e3d/testing/shopper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Money must survive a crash: the provider took it, and the process that asked died (or lost
 * the answer) before writing the payment on the order. The order is found again by the order
 * id in the payment's metadata, from the webhook, the expiry sweep and a retry of the request.
 */

/** A small fixture catalog: one published product, three variants, the demo shipping methods. */
async function seedFixture(conn: Connection): Promise<{ variants: string[]; standard: string }> {
  await seedDemoCommerceSettings(conn);
  const [product] = await conn.query<{ id: string }>(
    `INSERT INTO products (handle, title, status, published_at) VALUES ('crash-chair', 'Crash chair', 'published', now())
     RETURNING id`,
  );
  const variants: string[] = [];
  for (const [i, colour] of ['red', 'green', 'blue'].entries()) {
    const [row] = await conn.query<{ id: string }>(
      `INSERT INTO product_variants (product_id, sku, title, price_amount, currency, stock_on_hand, position)
       VALUES ($1, $2, $3, 2500, 'USD', 10, $4) RETURNING id`,
      [product?.id, `CRASH-${colour.toUpperCase()}`, colour, i],
    );
    variants.push(row?.id ?? '');
  }
  const [standard] = await conn.query<{ id: string }>(
    `SELECT id FROM shipping_methods WHERE code = 'standard'`,
  );
  return { variants, standard: standard?.id ?? '' };
}

async function lapse(db: Connection, orderId: string) {
  await db.query(
    `UPDATE stock_reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1`,
    [orderId],
  );
  await db.query(`UPDATE orders SET reserved_until = now() - interval '1 second' WHERE id = $1`, [orderId]);
}

interface OrderState {
  status: string;
  payment_status: string;
  payment_id: string | null;
  amount_captured: number;
  amount_refunded: number;
}

const orderState = async (db: Connection, orderId: string): Promise<OrderState | undefined> =>
  (
    await db.query<OrderState>(
      'SELECT status, payment_status, payment_id, amount_captured, amount_refunded FROM orders WHERE id = $1',
      [orderId],
    )
  )[0];

const stockOf = async (db: Connection, variantId: string) =>
  (
    await db.query<{ s: number }>('SELECT stock_on_hand AS s FROM product_variants WHERE id = $1', [
      variantId,
    ])
  )[0]?.s;

const setStock = (db: Connection, variantId: string, stock: number) =>
  db.query('UPDATE product_variants SET stock_on_hand = $2 WHERE id = $1', [variantId, stock]);

describe.each(BACKENDS)('a checkout whose answer from the provider was lost (%s)', (backend) => {
  let api: TestApi;
  let fixture: Awaited<ReturnType<typeof seedFixture>>;
  const real = createTestPaymentProvider({ webhookSecret: `whsec_test_${'c'.repeat(32)}` });
  // The provider does the work, then the connection breaks before its answer arrives.
  const faults = { loseAnswers: false, providerDown: false };
  const down = () => new PaymentError('provider_error', 'connect ECONNREFUSED', { retryable: true });
  const provider: PaymentProvider = {
    ...real,
    async createPayment(input) {
      const payment = await real.createPayment(input);
      if (faults.loseAnswers) throw new PaymentError('provider_error', 'socket hang up', { retryable: true });
      return payment;
    },
    async getPayment(id) {
      if (faults.providerDown) throw down();
      return real.getPayment(id);
    },
    async findPayment(query) {
      if (faults.providerDown) throw down();
      return real.findPayment(query);
    },
  };
  const body = () => ({
    email: 'crash@example.com',
    shippingAddress: ADDRESS,
    shippingMethodId: fixture.standard,
    payment: { method: '4242 4242 4242 4242' },
  });
  const commerce = () => commerceContextFromConfig(api.config, { ...api.runtime, payments: provider });

  /** A checkout that took the money but answered 502: the order is pending with no payment on it. */
  async function lostCheckout(variantId: string) {
    const s = shopper(api);
    expect((await s.add(variantId, 1)).status).toBe(200);
    const key = randomUUID();
    faults.loseAnswers = true;
    const response = await s.checkout(body(), key);
    faults.loseAnswers = false;
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 502,
      code: 'payment_provider_unavailable',
    });
    const [order] = await api.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE cart_id = $1 ORDER BY placed_at DESC LIMIT 1`,
      [s.cartId],
    );
    const orderId = order?.id ?? '';
    expect(await orderState(api.db, orderId)).toMatchObject({ status: 'pending', payment_id: null });
    const payment = await real.findPayment({ orderId, idempotencyKey: `order-${orderId}` });
    expect(payment?.status).toBe('succeeded');
    expect(payment?.amountCaptured).toBe(payment?.amount);
    return { shopper: s, key, orderId, payment: payment as NonNullable<typeof payment> };
  }

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false, payments: provider });
    fixture = await api.db.transaction(seedFixture);
  });
  afterAll(() => api?.close());

  it('the signed payment.succeeded webhook finds the order by the order id in the payment metadata', async () => {
    const variant = fixture.variants[0] as string;
    const stockBefore = await stockOf(api.db, variant);
    real.takeWebhooks();
    const lost = await lostCheckout(variant);
    const succeeded = real.takeWebhooks().find((w) => w.event.type === 'payment.succeeded');
    expect(succeeded?.event).toMatchObject({ paymentId: lost.payment.id, orderId: lost.orderId });
    const post = () =>
      api.app.inject({
        method: 'POST',
        url: '/api/payments/webhooks/test',
        headers: succeeded?.headers ?? {},
        payload: succeeded?.rawBody ?? '',
      });
    const delivered = await post();
    // Before the fix: 409 unknown_payment, for ever (no order had the payment id).
    expect({ status: delivered.statusCode, body: delivered.json() }).toEqual({
      status: 200,
      body: { received: true, duplicate: false, result: 'applied' },
    });
    expect(await orderState(api.db, lost.orderId)).toMatchObject({
      status: 'paid',
      payment_status: 'captured',
      payment_id: lost.payment.id,
      amount_captured: lost.payment.amount,
    });
    expect(await stockOf(api.db, variant)).toBe((stockBefore ?? 0) - 1);
    expect((await post()).json()).toMatchObject({ duplicate: true });
  });

  it('the expiry sweep asks the provider first: money taken completes the order', async () => {
    const variant = fixture.variants[1] as string;
    const lost = await lostCheckout(variant);
    real.takeWebhooks(); // lost with the process
    await lapse(api.db, lost.orderId);
    const swept = await expireLapsedOrders(api.db, commerce());
    // Before the fix: canceled as reservation_expired, the shopper's money kept by the provider.
    expect(swept).toMatchObject({ settled: 1, canceled: 0 });
    expect(await orderState(api.db, lost.orderId)).toMatchObject({
      status: 'paid',
      payment_status: 'captured',
      payment_id: lost.payment.id,
    });
  });

  it('the expiry sweep refunds in full when the stock went to someone else meanwhile', async () => {
    const variant = fixture.variants[2] as string;
    await setStock(api.db, variant, 1);
    const lost = await lostCheckout(variant);
    await lapse(api.db, lost.orderId);
    // The reservation lapsed, so the last one was sold to the next shopper.
    const next = shopper(api);
    await next.add(variant, 1);
    expect((await next.checkout(body())).status).toBe(201);
    const swept = await expireLapsedOrders(api.db, commerce());
    expect(swept).toMatchObject({ settled: 1 });
    expect(await orderState(api.db, lost.orderId)).toMatchObject({
      status: 'canceled',
      payment_status: 'refunded',
      payment_id: lost.payment.id,
      amount_refunded: lost.payment.amount,
    });
    expect(await real.getPayment(lost.payment.id)).toMatchObject({ amountRefunded: lost.payment.amount });
    expect(await stockOf(api.db, variant)).toBe(0);
    await setStock(api.db, variant, 10);
  });

  it('the expiry sweep leaves the order pending while the provider cannot say what happened', async () => {
    const lost = await lostCheckout(fixture.variants[0] as string);
    await lapse(api.db, lost.orderId);
    faults.providerDown = true;
    const errors: string[] = [];
    const swept = await expireLapsedOrders(api.db, commerce(), { onError: (id) => errors.push(id) });
    faults.providerDown = false;
    expect(swept).toMatchObject({ canceled: 0, settled: 0 });
    expect(errors).toContain(lost.orderId);
    expect(await orderState(api.db, lost.orderId)).toMatchObject({ status: 'pending' });
    expect((await expireLapsedOrders(api.db, commerce())).settled).toBe(1);
    expect(await orderState(api.db, lost.orderId)).toMatchObject({ status: 'paid' });
  });

  it('a retry with the same Idempotency-Key settles the same payment: one charge', async () => {
    const lost = await lostCheckout(fixture.variants[0] as string);
    const retry = await lost.shopper.checkout(body(), lost.key);
    expect(retry.status).toBe(201);
    expect(retry.body.order).toMatchObject({ id: lost.orderId, status: 'paid' });
    expect(await orderState(api.db, lost.orderId)).toMatchObject({ payment_id: lost.payment.id });
  });

  it('a retry after the sweep canceled an unpaid checkout charges nothing', async () => {
    const s = shopper(api);
    await s.add(fixture.variants[0] as string, 1);
    const key = randomUUID();
    faults.providerDown = true;
    // The provider never saw this one: the connection was refused before the request.
    const original = provider.createPayment;
    provider.createPayment = async () => {
      throw down();
    };
    const first = await s.checkout(body(), key);
    provider.createPayment = original;
    faults.providerDown = false;
    expect(first.status).toBe(502);
    const [order] = await api.db.query<{ id: string }>(`SELECT id FROM orders WHERE cart_id = $1`, [
      s.cartId,
    ]);
    await lapse(api.db, order?.id ?? '');
    expect((await expireLapsedOrders(api.db, commerce())).canceled).toBe(1);
    const retry = await s.checkout(body(), key);
    expect({ status: retry.status, code: retry.body.code }).toEqual({ status: 409, code: 'checkout_lapsed' });
    expect(
      await real.findPayment({ orderId: order?.id ?? '', idempotencyKey: `order-${order?.id}` }),
    ).toBeNull();
  });
});

// ---- the real thing: the API process is killed with SIGKILL while the provider holds the money ----

const root = fileURLToPath(new URL('../../../', import.meta.url));
const WEBHOOK_SECRET = `whsec_${'k'.repeat(32)}`;

interface HttpShopper {
  add(variantId: string): Promise<void>;
  checkout(key: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

describe.each(BACKENDS)('kill -9 of the API during concurrent checkouts (%s)', (backend) => {
  let fake: FakeStripe;
  let dataDir: string;
  let database: { url: string; drop(): Promise<void> } | undefined;
  let fixture: Awaited<ReturnType<typeof seedFixture>>;
  let child: ChildProcess | undefined;
  let base = '';
  let output = '';

  const openDb = (): Promise<Database> =>
    openDatabase({ databaseUrl: database?.url, pgliteDir: path.join(dataDir, 'pglite') });

  async function startApiProcess() {
    const port = await freePort();
    output = '';
    const proc = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        API_PORT: String(port),
        HOST: '127.0.0.1',
        STRIPE_SECRET_KEY: 'sk_test_crashtest',
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_URL: `http://127.0.0.1:${fake.port}`,
        ...(database ? { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6379' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc.stdout?.on('data', (c) => (output += c));
    proc.stderr?.on('data', (c) => (output += c));
    child = proc;
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 1200; i++) {
      if (proc.exitCode !== null) throw new Error(`the API exited: ${output}`);
      const ready = await fetch(`${base}/api/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the API did not start: ${output}`);
  }

  const stopped = (proc: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });

  function httpShopper(): HttpShopper {
    let cookie = '';
    return {
      async add(variantId) {
        const response = await fetch(`${base}/api/cart/lines`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: JSON.stringify({ variantId, quantity: 1 }),
        });
        expect(response.status).toBe(200);
        const set = response.headers.getSetCookie().find((c) => c.startsWith('e3d_cart='));
        if (set) cookie = set.split(';')[0] ?? '';
      },
      async checkout(key) {
        const response = await fetch(`${base}/api/checkout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'idempotency-key': key },
          body: JSON.stringify({
            email: 'killed@example.com',
            shippingAddress: ADDRESS,
            shippingMethodId: fixture.standard,
            payment: { method: 'pm_card_visa' },
          }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      },
    };
  }

  beforeAll(async () => {
    fake = await startFakeStripe();
    dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-crash-'));
    database = backend === 'postgres+redis' ? await createPostgresDatabase() : undefined;
    const db = await openDb();
    await migrate(db);
    fixture = await db.transaction(seedFixture);
    await db.close();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await stopped(child);
    }
    await fake?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no money: retry resumes at once, the webhook finds its order, expiry completes the rest', async () => {
    await startApiProcess();
    const shoppers = [httpShopper(), httpShopper(), httpShopper()];
    const keys = shoppers.map(() => randomUUID());
    for (const [i, s] of shoppers.entries()) await s.add(fixture.variants[i] as string);

    // Stripe charges every card, then the answers never come back: the API is killed meanwhile.
    fake.stallCreates = true;
    const inFlight = shoppers.map((s, i) => s.checkout(keys[i] as string).catch(() => null));
    await fake.stalled(3);
    const killed = child as ChildProcess;
    killed.kill('SIGKILL');
    await stopped(killed);
    expect(await Promise.all(inFlight)).toEqual([null, null, null]);
    fake.stallCreates = false;

    let db = database ? await openDb() : undefined;
    const orders = async (d: Database) =>
      d.query<{ id: string; email: string; status: string; payment_id: string | null }>(
        `SELECT id, email, status, payment_id FROM orders ORDER BY placed_at`,
      );
    if (db) {
      const before = await orders(db);
      expect(before.map((o) => [o.status, o.payment_id])).toEqual([
        ['pending', null],
        ['pending', null],
        ['pending', null],
      ]);
    }

    await startApiProcess();
    // 1. The shopper's retry with the same key continues the order at once (not 409 for a 60 s lease).
    const retried = await shoppers[0]?.checkout(keys[0] as string);
    expect(retried?.status).toBe(201);
    const retriedOrder = retried?.body.order as { id: string; status: string };
    expect(retriedOrder.status).toBe('paid');

    // 2. Stripe's webhook for the second one finds it by metadata.order_id.
    const charged = [
      ...new Set(
        fake.requests
          .filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents')
          .map((r) => r.body['metadata[order_id]'] ?? ''),
      ),
    ].filter((id) => id !== retriedOrder.id);
    expect(charged.length).toBe(2);
    const [second, last] = charged as [string, string];
    const intentId = fake.intentIdsForOrder(second)[0] as string;
    const payload = fake.eventPayload('payment_intent.succeeded', intentId);
    const webhook = await fetch(`${base}/api/payments/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': stripeTestSignature(payload, WEBHOOK_SECRET),
      },
      body: payload,
    });
    expect({ status: webhook.status, body: await webhook.json() }).toEqual({
      status: 200,
      body: { received: true, duplicate: false, result: 'applied' },
    });

    // 3. No retry, no webhook for the third: the expiry sweep asks Stripe before canceling.
    const api = child as ChildProcess;
    if (!db) {
      api.kill('SIGTERM');
      await stopped(api);
      db = await openDb();
    }
    const ready = db as Database;
    await lapse(ready, last);
    const stripe = createStripePaymentProvider({
      secretKey: 'sk_test_crashtest',
      webhookSecret: WEBHOOK_SECRET,
      host: '127.0.0.1',
      port: fake.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const swept = await expireLapsedOrders(
      ready,
      commerceContextFromConfig(
        { SHOP_NAME: 'Test', STOREFRONT_URL: 'http://localhost:3000', assetBaseUrl: 'http://x' },
        { payments: stripe, jwtSecret: new Uint8Array(32) },
      ),
    );
    expect(swept).toMatchObject({ settled: 1, canceled: 0 });

    const after = await orders(ready);
    expect(after.map((o) => o.status)).toEqual(['paid', 'paid', 'paid']);
    for (const order of after) expect(fake.intentIdsForOrder(order.id)).toEqual([order.payment_id]);
    expect(fake.refunds).toEqual([]);
    const stock = await ready.query<{ s: number }>(
      'SELECT stock_on_hand AS s FROM product_variants WHERE id = ANY($1::uuid[]) ORDER BY position',
      [fixture.variants],
    );
    expect(stock.map((r) => r.s)).toEqual([9, 9, 9]);
    await ready.close();
  }, 120_000);
});
