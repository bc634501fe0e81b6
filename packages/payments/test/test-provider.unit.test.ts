import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@e3d/config';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createMemoryWebhookDeduper,
  createPaymentProviderFromConfig,
  createTestPaymentProvider,
  PaymentError,
  RefundExceedsCapturedError,
  signTestWebhook,
  WebhookRejectedError,
} from '../src/index.ts';

const SECRET = 'test-webhook-secret-0123456789abcdef';

let n = 0;
const input = (method: string, amount = 1000) => {
  n += 1;
  return { amount, currency: 'usd', orderId: `ord_${n}`, idempotencyKey: `key_${n}`, method };
};

function rejection(fn: () => unknown): WebhookRejectedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookRejectedError);
    return error as WebhookRejectedError;
  }
  throw new Error('expected the webhook to be rejected');
}

describe('test provider: cards', () => {
  const provider = createTestPaymentProvider({ webhookSecret: SECRET });

  it('4242 4242 4242 4242 succeeds and is captured', async () => {
    const payment = await provider.createPayment(input('4242 4242 4242 4242', 1999));
    expect(payment).toMatchObject({
      provider: 'test',
      status: 'succeeded',
      amount: 1999,
      amountCaptured: 1999,
      amountRefunded: 0,
    });
    expect(payment.clientSecret).toMatch(/_secret_/);
    expect(payment.declineCode).toBeUndefined();
  });

  it.each([
    ['4000 0000 0000 0002', 'card_declined'],
    ['4000 0000 0000 9995', 'insufficient_funds'],
    ['pm_card_chargeDeclined', 'card_declined'],
    ['1234 5678 9012 3456', 'incorrect_number'],
  ])('%s is declined with %s', async (card, code) => {
    const payment = await provider.createPayment(input(card));
    expect(payment).toMatchObject({ status: 'declined', declineCode: code, amountCaptured: 0 });
  });

  it('4000 0027 6000 3184 requires 3-D Secure, then confirm() succeeds', async () => {
    const payment = await provider.createPayment(input('4000 0027 6000 3184', 4200));
    expect(payment).toMatchObject({ status: 'requires_action', nextAction: { type: 'authenticate' } });
    await expect(provider.refund(payment.id)).rejects.toMatchObject({ code: 'invalid_state' });
    const confirmed = await provider.confirm(payment.id);
    expect(confirmed).toMatchObject({ status: 'succeeded', amountCaptured: 4200 });
    expect(confirmed.nextAction).toBeUndefined();
    await expect(provider.confirm(payment.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('a failed 3-D Secure challenge declines', async () => {
    const payment = await provider.createPayment(input('4000002760003184'));
    expect(await provider.confirm(payment.id, { authenticated: false })).toMatchObject({
      status: 'declined',
      declineCode: 'authentication_failed',
    });
  });

  it('the same idempotency key returns the same payment; other parameters are refused', async () => {
    const request = input('4242424242424242', 1500);
    const first = await provider.createPayment(request);
    const again = await provider.createPayment({ ...request });
    expect(again.id).toBe(first.id);
    expect(again).toEqual(first);
    const [a, b] = await Promise.all([
      provider.createPayment(input('4000000000000002')),
      provider.createPayment(input('4000000000000002')),
    ]);
    expect(a?.id).not.toBe(b?.id);
    await expect(provider.createPayment({ ...request, amount: 1501 })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });
  });

  it('validates input', async () => {
    for (const bad of [
      { ...input('4242424242424242'), amount: 0 },
      { ...input('4242424242424242'), amount: 10.5 },
      { ...input('4242424242424242'), currency: 'dollars' },
      { ...input('4242424242424242'), idempotencyKey: '' },
      { ...input('4242424242424242'), method: ' ' },
    ]) {
      await expect(provider.createPayment(bad)).rejects.toMatchObject({ code: 'invalid_request' });
    }
    await expect(provider.getPayment('pay_missing')).rejects.toMatchObject({ code: 'payment_not_found' });
  });
});

describe('test provider: capture and refunds', () => {
  it('manual capture authorizes, then captures at most the authorized amount', async () => {
    const provider = createTestPaymentProvider({ captureMethod: 'manual' });
    const payment = await provider.createPayment(input('4242424242424242', 3000));
    expect(payment).toMatchObject({ status: 'requires_capture', amountCaptured: 0 });
    await expect(provider.refund(payment.id)).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(provider.capture(payment.id, 3001)).rejects.toMatchObject({
      code: 'capture_exceeds_authorized',
    });
    expect(await provider.capture(payment.id, 2500)).toMatchObject({
      status: 'succeeded',
      amountCaptured: 2500,
    });
    expect(await provider.capture(payment.id)).toMatchObject({ amountCaptured: 2500 });
    await expect(provider.capture(payment.id, 3000)).rejects.toMatchObject({ code: 'invalid_state' });
    await expect(provider.refund(payment.id, 2501)).rejects.toBeInstanceOf(RefundExceedsCapturedError);
  });

  it('cancels an authorized or 3-D Secure payment once; a captured one must be refunded', async () => {
    const provider = createTestPaymentProvider({ captureMethod: 'manual' });
    const authorized = await provider.createPayment(input('4242424242424242', 3000));
    expect(await provider.cancel(authorized.id)).toMatchObject({ status: 'canceled' });
    expect(await provider.cancel(authorized.id)).toMatchObject({ status: 'canceled' });
    await expect(provider.capture(authorized.id)).rejects.toMatchObject({ code: 'invalid_state' });
    const challenged = await provider.createPayment({
      ...input('4000002760003184', 500),
      idempotencyKey: 'k3ds',
    });
    const canceled = await provider.cancel(challenged.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.nextAction).toBeUndefined();
    expect(provider.takeWebhooks().map((w) => w.event.type)).toContain('payment.canceled');
    const automatic = createTestPaymentProvider();
    const captured = await automatic.createPayment(input('4242424242424242', 900));
    await expect(automatic.cancel(captured.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('with a state file, payments survive a restart: a new provider refunds and replays keys', async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), 'e3d-pay-')), 'payments.jsonl');
    const first = createTestPaymentProvider({ statePath });
    const request = input('4242424242424242', 4000);
    const payment = await first.createPayment(request);
    await first.refund(payment.id, 1000, { idempotencyKey: 'r1' });
    const second = createTestPaymentProvider({ statePath });
    expect(await second.getPayment(payment.id)).toMatchObject({ amountCaptured: 4000, amountRefunded: 1000 });
    expect((await second.createPayment(request)).id).toBe(payment.id);
    expect((await second.refund(payment.id, 1000, { idempotencyKey: 'r1' })).amount).toBe(1000);
    await second.refund(payment.id, 3000);
    await expect(second.refund(payment.id, 1)).rejects.toBeInstanceOf(RefundExceedsCapturedError);
    const third = createTestPaymentProvider({ statePath });
    expect((await third.getPayment(payment.id)).amountRefunded).toBe(4000);
  });

  it('two providers on one state file see each other: the worker finds what the API charged', async () => {
    const statePath = path.join(mkdtempSync(path.join(tmpdir(), 'e3d-pay-')), 'payments.jsonl');
    const api = createTestPaymentProvider({ statePath });
    const worker = createTestPaymentProvider({ statePath });
    const request = input('4242424242424242', 2500);
    expect(await worker.findPayment(request)).toBeNull();
    const payment = await api.createPayment(request);
    expect(api.takeWebhooks().map((w) => w.event)).toContainEqual(
      expect.objectContaining({ type: 'payment.succeeded', orderId: request.orderId }),
    );
    expect(await worker.findPayment(request)).toMatchObject({ id: payment.id, status: 'succeeded' });
    expect(await worker.findPayment({ ...request, orderId: 'ord_other' })).toBeNull();
    await worker.refund(payment.id, undefined, { idempotencyKey: 'auto' });
    expect(await api.getPayment(payment.id)).toMatchObject({ amountRefunded: 2500 });
    await expect(api.refund(payment.id, 1)).rejects.toBeInstanceOf(RefundExceedsCapturedError);
  });

  it('partial refunds add up to the captured amount and no further', async () => {
    const provider = createTestPaymentProvider();
    const payment = await provider.createPayment(input('4242424242424242', 1000));
    expect(await provider.capture(payment.id)).toMatchObject({ status: 'succeeded' });
    const first = await provider.refund(payment.id, 300, { idempotencyKey: 'r1' });
    expect(first).toMatchObject({ paymentId: payment.id, amount: 300, status: 'succeeded', currency: 'usd' });
    expect(await provider.refund(payment.id, 300, { idempotencyKey: 'r1' })).toEqual(first);
    await expect(provider.refund(payment.id, 200, { idempotencyKey: 'r1' })).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    });

    const error = await provider.refund(payment.id, 701).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundExceedsCapturedError);
    expect(error).toBeInstanceOf(PaymentError);
    expect(error).toMatchObject({ code: 'refund_exceeds_captured', refundable: 700 });

    expect((await provider.refund(payment.id)).amount).toBe(700);
    expect(await provider.getPayment(payment.id)).toMatchObject({ amountRefunded: 1000 });
    await expect(provider.refund(payment.id)).rejects.toBeInstanceOf(RefundExceedsCapturedError);
    await expect(provider.refund(payment.id, -5)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('test provider: webhooks', () => {
  it('emits signed webhooks that parse back to the normalized events', async () => {
    const provider = createTestPaymentProvider({ webhookSecret: SECRET });
    const payment = await provider.createPayment(input('4000 0027 6000 3184', 800));
    await provider.confirm(payment.id);
    await provider.refund(payment.id, 100);
    await provider.createPayment(input('4000 0000 0000 9995', 800));
    const deliveries = provider.takeWebhooks();
    expect(deliveries.map((d) => d.event.type)).toEqual([
      'payment.requires_action',
      'payment.succeeded',
      'refund.succeeded',
      'payment.failed',
    ]);
    expect(provider.takeWebhooks()).toEqual([]);
    for (const delivery of deliveries) {
      expect(delivery.headers['e3d-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(provider.parseWebhook(delivery.rawBody, delivery.headers)).toEqual(delivery.event);
    }
    expect(deliveries[1]?.event).toMatchObject({ paymentId: payment.id, amount: 800, currency: 'usd' });
    expect(deliveries[2]?.event).toMatchObject({ paymentId: payment.id, amount: 100 });
    expect(deliveries[2]?.event.refundId).toMatch(/^re_test_/);
    expect(deliveries[3]?.event.declineCode).toBe('insufficient_funds');
  });

  const provider = createTestPaymentProvider({ webhookSecret: SECRET });
  const body = Buffer.from(
    JSON.stringify({
      id: 'evt_test_1',
      type: 'payment.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: { paymentId: 'pay_test_1', amount: 1000, currency: 'usd' },
    }),
  );

  it('accepts a valid signature (header name in any case, rotated secrets)', () => {
    const header = `${signTestWebhook({ body, secret: 'old-secret' })},${signTestWebhook({ body, secret: SECRET }).split(',')[1]}`;
    expect(provider.parseWebhook(body, { 'E3D-Signature': header })).toMatchObject({
      id: 'evt_test_1',
      type: 'payment.succeeded',
      paymentId: 'pay_test_1',
      amount: 1000,
    });
  });

  it('rejects forged, tampered, missing and malformed signatures', () => {
    const forged = signTestWebhook({ body, secret: 'attacker' });
    expect(rejection(() => provider.parseWebhook(body, { 'e3d-signature': forged })).code).toBe(
      'signature_invalid',
    );
    const header = signTestWebhook({ body, secret: SECRET });
    const tampered = Buffer.from(body.toString().replace('1000', '100000'));
    expect(rejection(() => provider.parseWebhook(tampered, { 'e3d-signature': header })).code).toBe(
      'signature_invalid',
    );
    expect(rejection(() => provider.parseWebhook(body, {})).code).toBe('signature_invalid');
    expect(rejection(() => provider.parseWebhook(body, { 'e3d-signature': 'v1=abc' })).code).toBe(
      'signature_invalid',
    );
  });

  it('rejects a valid signature outside the 5-minute tolerance', () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now + 301]) {
      const header = signTestWebhook({ body, secret: SECRET, timestamp });
      expect(rejection(() => provider.parseWebhook(body, { 'e3d-signature': header })).code).toBe(
        'timestamp_out_of_tolerance',
      );
    }
    const header = signTestWebhook({ body, secret: SECRET, timestamp: now - 290 });
    expect(provider.parseWebhook(body, { 'e3d-signature': header }).id).toBe('evt_test_1');
  });

  it('rejects a signed body that is not an event', () => {
    const junk = Buffer.from('{"hello":1}');
    const header = signTestWebhook({ body: junk, secret: SECRET });
    expect(rejection(() => provider.parseWebhook(junk, { 'e3d-signature': header })).code).toBe(
      'payload_invalid',
    );
  });

  it('a deduper detects the same valid event delivered twice', async () => {
    const deduper = createMemoryWebhookDeduper();
    const header = signTestWebhook({ body, secret: SECRET });
    const results = await Promise.all(
      [1, 2, 3].map(() => deduper.seen(provider.parseWebhook(body, { 'e3d-signature': header }).id)),
    );
    expect(results.sort()).toEqual([false, true, true]);
    expect(await deduper.seen('evt_other')).toBe(false);
  });

  it('the memory deduper forgets after its ttl and beyond maxEntries', async () => {
    let clock = 0;
    const deduper = createMemoryWebhookDeduper({ maxEntries: 2, ttlMs: 1000, now: () => clock });
    expect(await deduper.seen('a')).toBe(false);
    clock = 999;
    expect(await deduper.seen('a')).toBe(true);
    clock = 1000;
    expect(await deduper.seen('a')).toBe(false);
    await deduper.seen('b');
    await deduper.seen('c');
    expect(await deduper.seen('a')).toBe(false);
  });
});

describe('createPaymentProviderFromConfig', () => {
  const dirs: string[] = [];
  const dataDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'e3d-payments-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('is the test provider with no settings, its webhook secret kept under DATA_DIR', async () => {
    const dir = await dataDir();
    const a = await createPaymentProviderFromConfig({ dataDir: dir });
    const b = await createPaymentProviderFromConfig({ dataDir: dir });
    expect(a.name).toBe('test');
    if (a.name !== 'test' || b.name !== 'test') throw new Error('expected the test provider');
    expect(a.webhookSecret).toBe(b.webhookSecret);
    await a.createPayment(input('4242424242424242'));
    const [delivery] = a.takeWebhooks();
    if (!delivery) throw new Error('no webhook');
    expect(b.parseWebhook(delivery.rawBody, delivery.headers).type).toBe('payment.succeeded');
  });

  it('is Stripe with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET', async () => {
    const provider = await createPaymentProviderFromConfig({
      dataDir: await dataDir(),
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc123',
    });
    expect(provider.name).toBe('stripe');
  });

  it('names the setting that is missing or wrong', async () => {
    const dir = await dataDir();
    const issues = async (settings: Record<string, string>) => {
      const error = await createPaymentProviderFromConfig({ dataDir: dir, ...settings }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((i) => i.setting);
    };
    expect(await issues({ STRIPE_SECRET_KEY: 'sk_test_abc' })).toEqual(['STRIPE_WEBHOOK_SECRET']);
    expect(await issues({ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toEqual([
      'STRIPE_SECRET_KEY',
    ]);
    expect(await issues({ STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toEqual(['STRIPE_SECRET_KEY']);
    expect(await issues({ PAYMENT_CAPTURE_METHOD: 'later' })).toEqual(['PAYMENT_CAPTURE_METHOD']);
    expect(await issues({ PAYMENT_WEBHOOK_SECRET: 'short' })).toEqual(['PAYMENT_WEBHOOK_SECRET']);
  });
});
