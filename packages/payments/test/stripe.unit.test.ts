import { type FakeStripe, startFakeStripe } from '@e3d/testing/fake-stripe';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryWebhookDeduper,
  createStripePaymentProvider,
  PaymentError,
  RefundExceedsCapturedError,
  type StripePaymentProvider,
  stripeTestSignature,
  WebhookRejectedError,
} from '../src/index.ts';

const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef0123456789abcdef';

const provider = (fake: FakeStripe, captureMethod: 'automatic' | 'manual' = 'automatic') =>
  createStripePaymentProvider({
    secretKey: 'sk_test_123',
    webhookSecret: WEBHOOK_SECRET,
    captureMethod,
    host: '127.0.0.1',
    port: fake.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });

function rejection(fn: () => unknown): WebhookRejectedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookRejectedError);
    return error as WebhookRejectedError;
  }
  throw new Error('expected the webhook to be rejected');
}

const stripeEvent = (id: string, type: string, object: Record<string, unknown>) =>
  JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });

const succeededBody = stripeEvent('evt_1', 'payment_intent.succeeded', {
  id: 'pi_1',
  object: 'payment_intent',
  amount: 2500,
  amount_received: 2500,
  currency: 'eur',
  status: 'succeeded',
});

describe('Stripe webhooks (signed with stripe.webhooks.generateTestHeaderString)', () => {
  const stripe = createStripePaymentProvider({ secretKey: 'sk_test_123', webhookSecret: WEBHOOK_SECRET });
  const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
    Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? WEBHOOK_SECRET,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });

  it('parses a valid event into the normalized shape', () => {
    const event = stripe.parseWebhook(Buffer.from(succeededBody), {
      'stripe-signature': sign(succeededBody),
    });
    expect(event).toMatchObject({
      id: 'evt_1',
      type: 'payment.succeeded',
      providerType: 'payment_intent.succeeded',
      paymentId: 'pi_1',
      amount: 2500,
      currency: 'eur',
    });
    expect(event.createdAt).toBeInstanceOf(Date);
  });

  it('normalizes failed payments and refunds', () => {
    const failed = stripeEvent('evt_2', 'payment_intent.payment_failed', {
      id: 'pi_2',
      object: 'payment_intent',
      amount: 900,
      amount_received: 0,
      currency: 'usd',
      status: 'requires_payment_method',
      last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds' },
    });
    expect(stripe.parseWebhook(Buffer.from(failed), { 'Stripe-Signature': sign(failed) })).toMatchObject({
      type: 'payment.failed',
      paymentId: 'pi_2',
      amount: 900,
      declineCode: 'insufficient_funds',
    });
    const refunded = stripeEvent('evt_3', 'refund.created', {
      id: 're_1',
      object: 'refund',
      amount: 300,
      currency: 'usd',
      payment_intent: 'pi_2',
      status: 'succeeded',
    });
    expect(stripe.parseWebhook(Buffer.from(refunded), { 'stripe-signature': sign(refunded) })).toMatchObject({
      type: 'refund.succeeded',
      paymentId: 'pi_2',
      refundId: 're_1',
      amount: 300,
    });
    const other = stripeEvent('evt_4', 'customer.created', { id: 'cus_1', object: 'customer' });
    expect(stripe.parseWebhook(Buffer.from(other), { 'stripe-signature': sign(other) })).toMatchObject({
      type: 'other',
      providerType: 'customer.created',
      paymentId: null,
    });
  });

  it('rejects a forged signature (wrong secret)', () => {
    const header = sign(succeededBody, { secret: 'whsec_attacker' });
    const error = rejection(() =>
      stripe.parseWebhook(Buffer.from(succeededBody), { 'stripe-signature': header }),
    );
    expect(error.code).toBe('signature_invalid');
  });

  it('rejects a tampered body', () => {
    const header = sign(succeededBody);
    const tampered = succeededBody.replace('"amount_received":2500', '"amount_received":250000');
    expect(tampered).not.toBe(succeededBody);
    const error = rejection(() => stripe.parseWebhook(Buffer.from(tampered), { 'stripe-signature': header }));
    expect(error.code).toBe('signature_invalid');
  });

  it('rejects a correctly signed event replayed outside the tolerance', () => {
    const header = sign(succeededBody, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const error = rejection(() =>
      stripe.parseWebhook(Buffer.from(succeededBody), { 'stripe-signature': header }),
    );
    expect(error.code).toBe('timestamp_out_of_tolerance');
    const future = sign(succeededBody, { timestamp: Math.floor(Date.now() / 1000) + 3600 });
    expect(
      rejection(() => stripe.parseWebhook(Buffer.from(succeededBody), { 'stripe-signature': future })).code,
    ).toBe('timestamp_out_of_tolerance');
  });

  it('rejects a missing signature header', () => {
    expect(rejection(() => stripe.parseWebhook(Buffer.from(succeededBody), {})).code).toBe(
      'signature_invalid',
    );
  });

  it('lets a deduper detect a valid event delivered twice', async () => {
    const deduper = createMemoryWebhookDeduper();
    const deliver = () =>
      stripe.parseWebhook(Buffer.from(succeededBody), { 'stripe-signature': sign(succeededBody) });
    expect(await deduper.seen(deliver().id)).toBe(false);
    expect(await deduper.seen(deliver().id)).toBe(true);
  });
});

describe('Stripe API calls (against a local server speaking Stripe)', () => {
  let fake: FakeStripe;
  let stripe: StripePaymentProvider;
  beforeAll(async () => {
    fake = await startFakeStripe();
    stripe = provider(fake);
  });
  afterAll(() => fake.close());

  const lastRequest = (method: string, path: string | RegExp) => {
    const found = fake.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
    const last = found.at(-1);
    if (!last) throw new Error(`no ${method} ${path}`);
    return last;
  };

  it('finds the payment of an order by metadata.order_id (a caller that died before recording it)', async () => {
    const orderId = '6f1f0c1e-9a51-4c55-9b9c-2f3f8d9e0a11';
    expect(await stripe.findPayment({ orderId, idempotencyKey: `order-${orderId}` })).toBeNull();
    const made = await stripe.createPayment({
      amount: 4200,
      currency: 'usd',
      orderId,
      idempotencyKey: `order-${orderId}`,
      method: 'pm_card_visa',
    });
    const found = await stripe.findPayment({ orderId, idempotencyKey: `order-${orderId}` });
    expect(found).toMatchObject({ id: made.id, status: 'succeeded', amountCaptured: 4200, orderId });
    expect(lastRequest('GET', '/v1/payment_intents/search').query.get('query')).toBe(
      `metadata['order_id']:'${orderId}'`,
    );
  });

  it('webhooks about a PaymentIntent carry its order id', () => {
    const payload = fake.eventPayload(
      'payment_intent.succeeded',
      fake.intentIdsForOrder('6f1f0c1e-9a51-4c55-9b9c-2f3f8d9e0a11')[0] ?? '',
    );
    const event = stripe.parseWebhook(Buffer.from(payload), {
      'stripe-signature': stripeTestSignature(payload, WEBHOOK_SECRET),
    });
    expect(event).toMatchObject({
      type: 'payment.succeeded',
      orderId: '6f1f0c1e-9a51-4c55-9b9c-2f3f8d9e0a11',
    });
  });

  it('creates and confirms a PaymentIntent with the Idempotency-Key; a retry returns the same payment', async () => {
    const input = {
      amount: 1999,
      currency: 'USD',
      orderId: 'ord_1',
      idempotencyKey: 'order:ord_1:attempt:1',
      method: 'pm_card_visa',
    };
    const first = await stripe.createPayment(input);
    expect(first).toMatchObject({
      provider: 'stripe',
      status: 'succeeded',
      amount: 1999,
      currency: 'usd',
      orderId: 'ord_1',
      amountCaptured: 1999,
    });
    expect(first.clientSecret).toMatch(/^pi_.*_secret_/);
    const request = lastRequest('POST', '/v1/payment_intents');
    expect(request.headers['idempotency-key']).toBe('order:ord_1:attempt:1');
    expect(request.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    expect(request.headers.authorization).toBe('Bearer sk_test_123');
    expect(request.body).toEqual({
      amount: '1999',
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: 'true',
      capture_method: 'automatic',
      'metadata[order_id]': 'ord_1',
      'automatic_payment_methods[enabled]': 'true',
      'automatic_payment_methods[allow_redirects]': 'never',
    });

    const again = await stripe.createPayment(input);
    expect(again.id).toBe(first.id);
    const creates = fake.requests.filter((r) => r.path === '/v1/payment_intents');
    expect(creates.at(-1)?.headers['idempotency-key']).toBe('order:ord_1:attempt:1');
  });

  it('returns a declined payment (402 card error) with its decline code, the same on retry', async () => {
    const input = {
      amount: 500,
      currency: 'usd',
      orderId: 'ord_2',
      idempotencyKey: 'ord_2',
      method: 'pm_card_chargeDeclinedInsufficientFunds',
    };
    const declined = await stripe.createPayment(input);
    expect(declined).toMatchObject({
      status: 'declined',
      declineCode: 'insufficient_funds',
      amountCaptured: 0,
    });
    expect((await stripe.createPayment(input)).id).toBe(declined.id);
  });

  it('returns requires_action with the client secret for 3-D Secure', async () => {
    const payment = await stripe.createPayment({
      amount: 700,
      currency: 'eur',
      orderId: 'ord_3',
      idempotencyKey: 'ord_3',
      method: 'pm_card_threeDSecure2Required',
    });
    expect(payment.status).toBe('requires_action');
    expect(payment.nextAction).toEqual({ type: 'authenticate' });
    expect(payment.clientSecret).toMatch(/_secret_/);
  });

  it('cancels an uncaptured PaymentIntent; canceling again is a no-op, a captured one is refused', async () => {
    const payment = await stripe.createPayment({
      amount: 700,
      currency: 'eur',
      orderId: 'ord_cancel',
      idempotencyKey: 'ord_cancel',
      method: 'pm_card_threeDSecure2Required',
    });
    expect(await stripe.cancel(payment.id)).toMatchObject({ status: 'canceled' });
    expect(lastRequest('POST', `/v1/payment_intents/${payment.id}/cancel`).headers['idempotency-key']).toBe(
      `cancel:${payment.id}`,
    );
    expect(await stripe.cancel(payment.id)).toMatchObject({ status: 'canceled' });
    const captured = await stripe.createPayment({
      amount: 700,
      currency: 'eur',
      orderId: 'ord_captured',
      idempotencyKey: 'ord_captured',
      method: 'pm_card_visa',
    });
    await expect(stripe.cancel(captured.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('maps an unknown payment to payment_not_found', async () => {
    await expect(stripe.getPayment('pi_missing')).rejects.toMatchObject({ code: 'payment_not_found' });
  });

  it('captures a manual-capture payment partially', async () => {
    const manual = provider(fake, 'manual');
    const payment = await manual.createPayment({
      amount: 2000,
      currency: 'usd',
      orderId: 'ord_4',
      idempotencyKey: 'ord_4',
      method: 'pm_card_visa',
    });
    expect(payment).toMatchObject({ status: 'requires_capture', amountCaptured: 0 });
    expect(lastRequest('POST', '/v1/payment_intents').body.capture_method).toBe('manual');

    await expect(manual.capture(payment.id, 2001)).rejects.toMatchObject({
      code: 'capture_exceeds_authorized',
    });
    const captured = await manual.capture(payment.id, 1500);
    expect(captured).toMatchObject({ status: 'succeeded', amountCaptured: 1500 });
    const request = lastRequest('POST', /\/capture$/);
    expect(request.path).toBe(`/v1/payment_intents/${payment.id}/capture`);
    expect(request.body.amount_to_capture).toBe('1500');
    expect(request.headers['idempotency-key']).toBe(`capture:${payment.id}:1500`);
    // capturing again is a no-op
    expect(await manual.capture(payment.id)).toMatchObject({ status: 'succeeded', amountCaptured: 1500 });

    await expect(manual.refund(payment.id, 1501)).rejects.toBeInstanceOf(RefundExceedsCapturedError);
    expect((await manual.refund(payment.id)).amount).toBe(1500);
  });

  it('refunds partially, never more than captured', async () => {
    const payment = await stripe.createPayment({
      amount: 1000,
      currency: 'usd',
      orderId: 'ord_5',
      idempotencyKey: 'ord_5',
      method: 'pm_card_visa',
    });
    const first = await stripe.refund(payment.id, 400, { idempotencyKey: 'refund:ord_5:1' });
    expect(first).toMatchObject({ paymentId: payment.id, amount: 400, currency: 'usd', status: 'succeeded' });
    const request = lastRequest('POST', '/v1/refunds');
    expect(request.body).toEqual({ payment_intent: payment.id, amount: '400' });
    expect(request.headers['idempotency-key']).toBe('refund:ord_5:1');

    const refundPosts = fake.requests.filter((r) => r.path === '/v1/refunds').length;
    const error = await stripe.refund(payment.id, 601).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefundExceedsCapturedError);
    expect(error).toMatchObject({ code: 'refund_exceeds_captured', refundable: 600 });
    expect(fake.requests.filter((r) => r.path === '/v1/refunds').length).toBe(refundPosts);

    expect((await stripe.refund(payment.id)).amount).toBe(600);
    expect(await stripe.getPayment(payment.id)).toMatchObject({ amountCaptured: 1000, amountRefunded: 1000 });
    await expect(stripe.refund(payment.id, 1)).rejects.toBeInstanceOf(RefundExceedsCapturedError);
  });

  it('refuses to refund a payment that was not captured', async () => {
    const payment = await stripe.createPayment({
      amount: 700,
      currency: 'eur',
      orderId: 'ord_6',
      idempotencyKey: 'ord_6',
      method: 'pm_card_threeDSecure2Required',
    });
    const error = await stripe.refund(payment.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentError);
    expect(error).toMatchObject({ code: 'invalid_state' });
  });
});
