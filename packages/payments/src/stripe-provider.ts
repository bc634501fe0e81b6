import Stripe from 'stripe';
import { PaymentError, RefundExceedsCapturedError, WebhookRejectedError } from './errors.ts';
import {
  type CreatePaymentInput,
  type NextAction,
  type Payment,
  type PaymentProvider,
  type PaymentStatus,
  type Refund,
  type RefundStatus,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookEvent,
  type WebhookEventType,
} from './types.ts';
import { checkAmount, checkCreatePayment, checkId, headerValue } from './validate.ts';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

export interface StripeProviderOptions {
  /** STRIPE_SECRET_KEY: `sk_live_...`, `sk_test_...` or a restricted `rk_...` key. */
  secretKey: string;
  /** STRIPE_WEBHOOK_SECRET: the endpoint's signing secret, `whsec_...`. */
  webhookSecret: string;
  /**
   * `automatic` (default): a PaymentIntent is captured as soon as it is authorized, so
   * `createPayment` answers `succeeded` and `capture()` is a no-op. `manual`: it stops at
   * `requires_capture` (authorization only, valid about 7 days) until `capture()` — for shops
   * that charge on shipment.
   */
  captureMethod?: 'automatic' | 'manual';
  /**
   * Where Stripe sends the shopper back after a redirect-based authentication. Unset, only
   * payment methods that need no redirect are offered (3-D Secure still works in the page
   * through Stripe.js: `nextAction: { type: 'authenticate' }`).
   */
  returnUrl?: string;
  toleranceSeconds?: number;
  /** Stripe's API address, for tests against a local server; default api.stripe.com:443 over https. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Retries of failed network calls (the SDK re-sends the same Idempotency-Key). Default 2. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

export interface StripePaymentProvider extends PaymentProvider {
  readonly name: 'stripe';
  /** The SDK client, for what this interface does not cover. */
  readonly client: Stripe;
}

const PASS_THROUGH_STATUSES: Record<string, PaymentStatus> = {
  succeeded: 'succeeded',
  requires_capture: 'requires_capture',
  requires_action: 'requires_action',
  processing: 'processing',
};

const DECLINED_STATUSES = new Set(['requires_payment_method', 'requires_confirmation']);

function declineCodeOf(error: { code?: string | null; decline_code?: string | null } | null | undefined) {
  if (!error) return undefined;
  const decline = error.decline_code;
  if (decline && decline !== 'generic_decline') return decline;
  return error.code ?? decline ?? undefined;
}

function toPayment(intent: Stripe.PaymentIntent): Payment {
  let status: PaymentStatus;
  let declineCode: string | undefined;
  if (intent.status === 'canceled') status = 'canceled';
  else if (DECLINED_STATUSES.has(intent.status)) {
    status = 'declined';
    declineCode = declineCodeOf(intent.last_payment_error) ?? 'card_declined';
  } else {
    status = PASS_THROUGH_STATUSES[intent.status] ?? 'processing';
  }
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const payment: Payment = {
    id: intent.id,
    provider: 'stripe',
    status,
    amount: intent.amount,
    currency: intent.currency,
    orderId: intent.metadata?.order_id ?? '',
    amountCaptured: charge ? charge.amount_captured : status === 'succeeded' ? intent.amount_received : 0,
    amountRefunded: charge ? charge.amount_refunded : 0,
  };
  if (intent.client_secret) payment.clientSecret = intent.client_secret;
  if (status === 'requires_action') {
    const redirect = intent.next_action?.redirect_to_url?.url;
    const next: NextAction = redirect ? { type: 'redirect', url: redirect } : { type: 'authenticate' };
    payment.nextAction = next;
  }
  if (declineCode) payment.declineCode = declineCode;
  return payment;
}

/** A Stripe SDK error as a PaymentError (or the declined payment it carries). */
function translate(error: unknown, context: string): PaymentError {
  if (error instanceof PaymentError) return error;
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return new PaymentError('idempotency_key_reused', `${context}: ${error.message}`, { cause: error });
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    if (error.code === 'resource_missing') {
      return new PaymentError('payment_not_found', `${context}: ${error.message}`, { cause: error });
    }
    if (error.code === 'charge_already_refunded' || (error.param === 'amount' && /refund/i.test(context))) {
      return new RefundExceedsCapturedError(`${context}: ${error.message}`, {
        refundable: null,
        cause: error,
      });
    }
    if (error.code === 'payment_intent_unexpected_state') {
      return new PaymentError('invalid_state', `${context}: ${error.message}`, { cause: error });
    }
    return new PaymentError('invalid_request', `${context}: ${error.message}`, { cause: error });
  }
  const retryable =
    error instanceof Stripe.errors.StripeConnectionError ||
    error instanceof Stripe.errors.StripeAPIError ||
    error instanceof Stripe.errors.StripeRateLimitError;
  const message = error instanceof Error ? error.message : String(error);
  return new PaymentError('provider_error', `${context}: ${message}`, { retryable, cause: error });
}

const REFUND_STATUSES: Record<string, RefundStatus> = {
  succeeded: 'succeeded',
  pending: 'pending',
  requires_action: 'pending',
  failed: 'failed',
  canceled: 'failed',
};

function toRefund(refund: Stripe.Refund, paymentId: string): Refund {
  return {
    id: refund.id,
    paymentId,
    amount: refund.amount,
    currency: refund.currency,
    status: REFUND_STATUSES[refund.status ?? ''] ?? 'pending',
  };
}

const idOf = (value: string | { id: string } | null | undefined) =>
  value == null ? null : typeof value === 'string' ? value : value.id;

const PAYMENT_EVENTS: Record<string, WebhookEventType> = {
  'payment_intent.succeeded': 'payment.succeeded',
  'payment_intent.payment_failed': 'payment.failed',
  'payment_intent.requires_action': 'payment.requires_action',
  'payment_intent.processing': 'payment.processing',
  'payment_intent.amount_capturable_updated': 'payment.authorized',
  'payment_intent.canceled': 'payment.canceled',
};

/** A verified Stripe event, normalized. */
export function normalizeStripeEvent(event: Stripe.Event): WebhookEvent {
  const base = { id: event.id, providerType: event.type, createdAt: new Date(event.created * 1000) };
  const object = event.data.object as { object?: string };
  const mapped = PAYMENT_EVENTS[event.type];
  if (mapped && object.object === 'payment_intent') {
    const intent = object as Stripe.PaymentIntent;
    const normalized: WebhookEvent = {
      ...base,
      type: mapped,
      paymentId: intent.id,
      amount: mapped === 'payment.succeeded' ? intent.amount_received : intent.amount,
      currency: intent.currency,
    };
    if (intent.metadata?.order_id) normalized.orderId = intent.metadata.order_id;
    const declineCode = mapped === 'payment.failed' ? declineCodeOf(intent.last_payment_error) : undefined;
    if (declineCode) normalized.declineCode = declineCode;
    return normalized;
  }
  if (event.type.startsWith('refund.') && object.object === 'refund') {
    const refund = object as Stripe.Refund;
    const status = REFUND_STATUSES[refund.status ?? ''] ?? 'pending';
    return {
      ...base,
      type: `refund.${status}`,
      paymentId: idOf(refund.payment_intent),
      refundId: refund.id,
      amount: refund.amount,
      currency: refund.currency,
    };
  }
  const any = object as { id?: string; amount?: number; currency?: string; payment_intent?: string | null };
  return {
    ...base,
    type: 'other',
    paymentId: object.object === 'payment_intent' ? (any.id ?? null) : idOf(any.payment_intent),
    amount: typeof any.amount === 'number' ? any.amount : 0,
    currency: typeof any.currency === 'string' ? any.currency : '',
  };
}

/**
 * Stripe PaymentIntents. `createPayment` creates and confirms the intent in one call with the
 * given PaymentMethod (`confirm: true`), sending `idempotencyKey` as Stripe's Idempotency-Key, so
 * a retry returns the same intent. Webhooks are verified with `stripe.webhooks.constructEvent`.
 */
export function createStripePaymentProvider(options: StripeProviderOptions): StripePaymentProvider {
  const client = new Stripe(options.secretKey, {
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
    appInfo: { name: 'e3d-payments' },
  });
  const captureMethod = options.captureMethod ?? 'automatic';

  async function retrieve(id: string): Promise<Stripe.PaymentIntent> {
    try {
      return await client.paymentIntents.retrieve(checkId(id), { expand: ['latest_charge'] });
    } catch (error) {
      throw translate(error, `retrieving payment ${id}`);
    }
  }

  return {
    name: 'stripe',
    client,

    async createPayment(input: CreatePaymentInput) {
      const checked = checkCreatePayment(input);
      const params: Stripe.PaymentIntentCreateParams = {
        amount: checked.amount,
        currency: checked.currency,
        payment_method: checked.method,
        confirm: true,
        capture_method: captureMethod,
        metadata: { order_id: checked.orderId },
      };
      if (options.returnUrl) params.return_url = options.returnUrl;
      else params.automatic_payment_methods = { enabled: true, allow_redirects: 'never' };
      try {
        const intent = await client.paymentIntents.create(params, { idempotencyKey: checked.idempotencyKey });
        return toPayment(intent);
      } catch (error) {
        // A declined card is a 402 whose body carries the PaymentIntent; Stripe replays the
        // same 402 for a retry with the same Idempotency-Key.
        if (error instanceof Stripe.errors.StripeError && error.payment_intent) {
          const payment = toPayment(error.payment_intent);
          if (payment.status === 'declined') {
            payment.declineCode = declineCodeOf(error) ?? payment.declineCode ?? 'card_declined';
          }
          return payment;
        }
        throw translate(error, 'creating payment');
      }
    },

    async getPayment(id) {
      return toPayment(await retrieve(id));
    },

    async findPayment({ orderId }) {
      // Stripe's search index lags writes by up to a minute; callers ask long after the charge
      // (a webhook that never came, a reservation that lapsed), so that is soon enough.
      let found: Stripe.ApiSearchResult<Stripe.PaymentIntent>;
      try {
        found = await client.paymentIntents.search({
          query: `metadata['order_id']:'${orderId.replace(/[^0-9a-zA-Z-]/g, '')}'`,
          limit: 10,
        });
      } catch (error) {
        throw translate(error, `finding the payment of order ${orderId}`);
      }
      // One intent per order (one idempotency key); prefer one that moved money if ever two.
      const intents = found.data.filter((intent) => intent.metadata?.order_id === orderId);
      const best =
        intents.find((i) => i.status === 'succeeded' || i.status === 'requires_capture') ??
        intents.find((i) => i.status !== 'canceled') ??
        intents[0];
      return best ? toPayment(await retrieve(best.id)) : null;
    },

    async capture(id, amount) {
      if (amount !== undefined) checkAmount(amount);
      const intent = await retrieve(id);
      if (intent.status === 'succeeded') {
        const payment = toPayment(intent);
        if (amount === undefined || amount === payment.amountCaptured) return payment;
        throw new PaymentError('invalid_state', `payment ${id} is already captured`);
      }
      if (intent.status !== 'requires_capture') {
        throw new PaymentError('invalid_state', `payment ${id} is ${intent.status}, not requires_capture`);
      }
      if (amount !== undefined && amount > intent.amount_capturable) {
        throw new PaymentError(
          'capture_exceeds_authorized',
          `cannot capture ${amount}: only ${intent.amount_capturable} is capturable`,
        );
      }
      try {
        const captured = await client.paymentIntents.capture(
          id,
          { ...(amount !== undefined ? { amount_to_capture: amount } : {}), expand: ['latest_charge'] },
          { idempotencyKey: `capture:${id}:${amount ?? 'all'}` },
        );
        return toPayment(captured);
      } catch (error) {
        throw translate(error, `capturing payment ${id}`);
      }
    },

    async cancel(id) {
      const intent = await retrieve(id);
      const payment = toPayment(intent);
      if (payment.status === 'canceled' || payment.status === 'declined') return payment;
      if (payment.status === 'succeeded') {
        throw new PaymentError('invalid_state', `payment ${id} is captured; refund it instead`);
      }
      try {
        return toPayment(await client.paymentIntents.cancel(id, {}, { idempotencyKey: `cancel:${id}` }));
      } catch (error) {
        throw translate(error, `canceling payment ${id}`);
      }
    },

    async refund(id, amount, refundOptions = {}) {
      if (amount !== undefined) checkAmount(amount);
      const intent = await retrieve(id);
      const payment = toPayment(intent);
      if (payment.status !== 'succeeded') {
        throw new PaymentError(
          'invalid_state',
          `payment ${id} is ${payment.status}; only captured payments are refunded`,
        );
      }
      const refundable = payment.amountCaptured - payment.amountRefunded;
      const refunded = amount ?? refundable;
      if (refunded > refundable || refunded === 0) {
        throw new RefundExceedsCapturedError(
          `cannot refund ${refunded}: ${refundable} of the ${payment.amountCaptured} captured is refundable`,
          { refundable },
        );
      }
      try {
        const refund = await client.refunds.create(
          { payment_intent: id, amount: refunded },
          refundOptions.idempotencyKey ? { idempotencyKey: refundOptions.idempotencyKey } : {},
        );
        return toRefund(refund, id);
      } catch (error) {
        throw translate(error, `refunding payment ${id}`);
      }
    },

    parseWebhook(rawBody, headers) {
      const header = headerValue(headers, STRIPE_SIGNATURE_HEADER);
      let event: Stripe.Event;
      try {
        event = client.webhooks.constructEvent(
          rawBody,
          header ?? '',
          options.webhookSecret,
          options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS,
        );
      } catch (error) {
        if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
          const code = /timestamp outside the tolerance/i.test(error.message)
            ? 'timestamp_out_of_tolerance'
            : 'signature_invalid';
          throw new WebhookRejectedError(code, error.message.split('\n')[0] ?? error.message, {
            cause: error,
          });
        }
        throw new WebhookRejectedError('payload_invalid', 'webhook body is not a Stripe event', {
          cause: error,
        });
      }
      // constructEvent rejects old timestamps only; one from the future is as suspect.
      const timestamp = Number(/(?:^|,)\s*t=(\d+)/.exec(header ?? '')?.[1]);
      if (
        timestamp - Math.floor(Date.now() / 1000) >
        (options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)
      ) {
        throw new WebhookRejectedError('timestamp_out_of_tolerance', 'webhook timestamp is in the future');
      }
      if (!event || typeof event.id !== 'string' || !event.data?.object) {
        throw new WebhookRejectedError('payload_invalid', 'webhook body is not a Stripe event');
      }
      return normalizeStripeEvent(event);
    },
  };
}

/**
 * A `Stripe-Signature` header for `payload`, made by the stripe package's own test helper: for
 * tests and local tools that play Stripe's part (`stripe listen` does the same in development).
 */
export function stripeTestSignature(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}
