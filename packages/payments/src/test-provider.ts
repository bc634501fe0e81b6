import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { PaymentError, RefundExceedsCapturedError, WebhookRejectedError } from './errors.ts';
import { signTestWebhook, TEST_SIGNATURE_HEADER, verifyTestWebhook } from './signature.ts';
import type {
  CreatePaymentInput,
  Payment,
  PaymentProvider,
  Refund,
  RefundOptions,
  WebhookEvent,
  WebhookEventType,
} from './types.ts';
import { checkAmount, checkCreatePayment, checkId, headerValue } from './validate.ts';

type CardBehavior =
  | { outcome: 'succeed' }
  | { outcome: 'decline'; code: string }
  | { outcome: 'authenticate' };

/** The test cards, as Stripe's: https://docs.stripe.com/testing. */
export const TEST_CARDS: Readonly<Record<string, CardBehavior>> = {
  '4242424242424242': { outcome: 'succeed' },
  '5555555555554444': { outcome: 'succeed' },
  '4000000000000002': { outcome: 'decline', code: 'card_declined' },
  '4000000000009995': { outcome: 'decline', code: 'insufficient_funds' },
  '4000000000000069': { outcome: 'decline', code: 'expired_card' },
  '4000000000000127': { outcome: 'decline', code: 'incorrect_cvc' },
  '4000000000000119': { outcome: 'decline', code: 'processing_error' },
  '4000002760003184': { outcome: 'authenticate' },
};

/** Stripe's test PaymentMethod ids, so the same fixtures work with both providers. */
export const TEST_PAYMENT_METHODS: Readonly<Record<string, string>> = {
  pm_card_visa: '4242424242424242',
  pm_card_mastercard: '5555555555554444',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_chargeDeclinedExpiredCard: '4000000000000069',
  pm_card_chargeDeclinedIncorrectCvc: '4000000000000127',
  pm_card_chargeDeclinedProcessingError: '4000000000000119',
  pm_card_threeDSecure2Required: '4000002760003184',
};

function behaviorOf(method: string): CardBehavior {
  const number = TEST_PAYMENT_METHODS[method] ?? method.replace(/[\s-]/g, '');
  return TEST_CARDS[number] ?? { outcome: 'decline', code: 'incorrect_number' };
}

/** A signed webhook the test provider would have sent: POST `rawBody` with `headers`. */
export interface TestWebhookDelivery {
  event: WebhookEvent;
  rawBody: Buffer;
  headers: Record<string, string>;
}

export interface TestPaymentProvider extends PaymentProvider {
  readonly name: 'test';
  /** Finishes a `requires_action` payment: the shopper passed (default) or failed the 3-D Secure challenge. */
  confirm(id: string, options?: { authenticated?: boolean }): Promise<Payment>;
  /** The webhooks produced since the last call, oldest first, signed with the provider's secret. */
  takeWebhooks(): TestWebhookDelivery[];
  /** The secret webhooks are signed with. */
  readonly webhookSecret: string;
}

type SavedRecord =
  | { t: 'payment'; v: Payment }
  | { t: 'paymentKey'; k: string; v: { fingerprint: string; paymentId: string } }
  | { t: 'refundKey'; k: string; v: { fingerprint: string; refund: Refund } };

interface TestEventBody {
  id: string;
  type: WebhookEventType;
  created: number;
  data: {
    paymentId: string;
    orderId?: string;
    refundId?: string;
    amount: number;
    currency: string;
    declineCode?: string;
  };
}

const EVENT_TYPES = new Set<string>([
  'payment.succeeded',
  'payment.failed',
  'payment.requires_action',
  'payment.processing',
  'payment.authorized',
  'payment.canceled',
  'refund.succeeded',
  'refund.pending',
  'refund.failed',
]);

const token = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * The built-in provider (embedded default): deterministic outcomes by test card, state in
 * memory, webhooks signed with `e3d-signature` (see README). Nothing leaves the process.
 *
 * With `captureMethod: 'automatic'` (default) a payment is captured when it succeeds; with
 * `'manual'` it stops at `requires_capture` until `capture()`.
 */
export function createTestPaymentProvider(
  options: {
    webhookSecret?: string;
    captureMethod?: 'automatic' | 'manual';
    toleranceSeconds?: number;
    now?: () => Date;
    /**
     * A file the provider logs its payments to, so refunds and captures still work after a
     * restart (the API uses DATA_DIR/test-payments.jsonl). One process per file.
     */
    statePath?: string;
  } = {},
): TestPaymentProvider {
  const webhookSecret = options.webhookSecret ?? `whsec_test_${token(24)}`;
  const captureMethod = options.captureMethod ?? 'automatic';
  const now = options.now ?? (() => new Date());
  const unixNow = () => Math.floor(now().getTime() / 1000);
  const payments = new Map<string, Payment>();
  const paymentKeys = new Map<string, { fingerprint: string; paymentId: string }>();
  const refundKeys = new Map<string, { fingerprint: string; refund: Refund }>();
  let outbox: TestWebhookDelivery[] = [];
  const statePath = options.statePath;
  // An append-only log, replayed in order: the last record of a payment or key wins. Read up
  // to its end before every call, so a second provider on the same file (the worker beside the
  // API, or the API after a crash) sees what the other one did.
  let readOffset = 0;
  let pending = '';
  const sync = () => {
    if (!statePath) return;
    let fd: number;
    try {
      fd = openSync(statePath, 'r');
    } catch {
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= readOffset) return;
      const chunk = Buffer.alloc(size - readOffset);
      readSync(fd, chunk, 0, chunk.length, readOffset);
      readOffset = size;
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line) continue;
        const record = JSON.parse(line) as SavedRecord;
        if (record.t === 'payment') payments.set(record.v.id, record.v);
        else if (record.t === 'paymentKey') paymentKeys.set(record.k, record.v);
        else refundKeys.set(record.k, record.v);
      }
    } finally {
      closeSync(fd);
    }
  };
  sync();
  const persist = (...records: SavedRecord[]) => {
    if (!statePath) return;
    mkdirSync(path.dirname(statePath), { recursive: true });
    sync();
    appendFileSync(statePath, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    sync();
  };

  const find = (id: string) => {
    sync();
    const payment = payments.get(checkId(id));
    if (!payment) throw new PaymentError('payment_not_found', `no payment ${id}`);
    return payment;
  };
  const copy = (payment: Payment): Payment => ({
    ...payment,
    ...(payment.nextAction ? { nextAction: { ...payment.nextAction } } : {}),
  });

  function emit(type: WebhookEventType, data: TestEventBody['data']) {
    const payment = payments.get(data.paymentId);
    if (payment) persist({ t: 'payment', v: payment });
    const body: TestEventBody = { id: `evt_test_${token(12)}`, type, created: unixNow(), data };
    const rawBody = Buffer.from(JSON.stringify(body));
    outbox.push({
      event: toEvent(body),
      rawBody,
      headers: {
        'content-type': 'application/json',
        [TEST_SIGNATURE_HEADER]: signTestWebhook({
          body: rawBody,
          secret: webhookSecret,
          timestamp: body.created,
        }),
      },
    });
  }

  function settle(payment: Payment, behavior: CardBehavior) {
    delete payment.nextAction;
    const event = {
      paymentId: payment.id,
      orderId: payment.orderId,
      amount: payment.amount,
      currency: payment.currency,
    };
    if (behavior.outcome === 'decline') {
      payment.status = 'declined';
      payment.declineCode = behavior.code;
      emit('payment.failed', { ...event, declineCode: behavior.code });
    } else if (behavior.outcome === 'authenticate') {
      payment.status = 'requires_action';
      payment.nextAction = { type: 'authenticate' };
      emit('payment.requires_action', event);
    } else if (captureMethod === 'manual') {
      payment.status = 'requires_capture';
      emit('payment.authorized', event);
    } else {
      payment.status = 'succeeded';
      payment.amountCaptured = payment.amount;
      emit('payment.succeeded', event);
    }
  }

  return {
    name: 'test',
    webhookSecret,

    async createPayment(input: CreatePaymentInput) {
      const checked = checkCreatePayment(input);
      const fingerprint = JSON.stringify([checked.amount, checked.currency, checked.orderId, checked.method]);
      sync();
      const previous = paymentKeys.get(checked.idempotencyKey);
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          throw new PaymentError(
            'idempotency_key_reused',
            'idempotencyKey was used for a payment with different parameters',
          );
        }
        return copy(find(previous.paymentId));
      }
      const id = `pay_test_${token(12)}`;
      const payment: Payment = {
        id,
        provider: 'test',
        status: 'processing',
        amount: checked.amount,
        currency: checked.currency,
        orderId: checked.orderId,
        amountCaptured: 0,
        amountRefunded: 0,
        clientSecret: `${id}_secret_${token(12)}`,
      };
      payments.set(id, payment);
      paymentKeys.set(checked.idempotencyKey, { fingerprint, paymentId: id });
      persist({ t: 'paymentKey', k: checked.idempotencyKey, v: { fingerprint, paymentId: id } });
      settle(payment, behaviorOf(checked.method));
      return copy(payment);
    },

    async confirm(id, confirmOptions = {}) {
      const payment = find(id);
      if (payment.status !== 'requires_action') {
        throw new PaymentError('invalid_state', `payment ${id} is ${payment.status}, not requires_action`);
      }
      settle(
        payment,
        confirmOptions.authenticated === false
          ? { outcome: 'decline', code: 'authentication_failed' }
          : { outcome: 'succeed' },
      );
      return copy(payment);
    },

    async getPayment(id) {
      return copy(find(id));
    },

    async findPayment({ orderId, idempotencyKey }) {
      sync();
      const known = paymentKeys.get(idempotencyKey);
      const payment = known ? payments.get(known.paymentId) : undefined;
      return payment && payment.orderId === orderId ? copy(payment) : null;
    },

    async capture(id, amount) {
      const payment = find(id);
      if (amount !== undefined) checkAmount(amount);
      if (payment.status === 'succeeded' && (amount === undefined || amount === payment.amountCaptured)) {
        return copy(payment);
      }
      if (payment.status !== 'requires_capture') {
        throw new PaymentError('invalid_state', `payment ${id} is ${payment.status}, not requires_capture`);
      }
      const captured = amount ?? payment.amount;
      if (captured > payment.amount) {
        throw new PaymentError(
          'capture_exceeds_authorized',
          `cannot capture ${captured}: only ${payment.amount} was authorized`,
        );
      }
      payment.status = 'succeeded';
      payment.amountCaptured = captured;
      emit('payment.succeeded', {
        paymentId: id,
        orderId: payment.orderId,
        amount: captured,
        currency: payment.currency,
      });
      return copy(payment);
    },

    async cancel(id) {
      const payment = find(id);
      if (payment.status === 'canceled' || payment.status === 'declined') return copy(payment);
      if (payment.status === 'succeeded') {
        throw new PaymentError('invalid_state', `payment ${id} is captured; refund it instead`);
      }
      delete payment.nextAction;
      payment.status = 'canceled';
      emit('payment.canceled', {
        paymentId: id,
        orderId: payment.orderId,
        amount: payment.amount,
        currency: payment.currency,
      });
      return copy(payment);
    },

    async refund(id, amount, refundOptions: RefundOptions = {}) {
      const payment = find(id);
      if (amount !== undefined) checkAmount(amount);
      const fingerprint = JSON.stringify([id, amount ?? null]);
      const key = refundOptions.idempotencyKey;
      sync();
      if (key !== undefined) {
        const previous = refundKeys.get(key);
        if (previous) {
          if (previous.fingerprint !== fingerprint) {
            throw new PaymentError(
              'idempotency_key_reused',
              'idempotencyKey was used for a refund with different parameters',
            );
          }
          return { ...previous.refund };
        }
      }
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
      payment.amountRefunded += refunded;
      const refund: Refund = {
        id: `re_test_${token(12)}`,
        paymentId: id,
        amount: refunded,
        currency: payment.currency,
        status: 'succeeded',
      };
      if (key !== undefined) {
        refundKeys.set(key, { fingerprint, refund });
        persist({ t: 'refundKey', k: key, v: { fingerprint, refund } });
      }
      emit('refund.succeeded', {
        paymentId: id,
        refundId: refund.id,
        amount: refunded,
        currency: payment.currency,
      });
      return { ...refund };
    },

    parseWebhook(rawBody, headers) {
      verifyTestWebhook({
        body: rawBody,
        header: headerValue(headers, TEST_SIGNATURE_HEADER),
        secret: webhookSecret,
        now: unixNow(),
        ...(options.toleranceSeconds !== undefined ? { toleranceSeconds: options.toleranceSeconds } : {}),
      });
      let body: TestEventBody;
      try {
        body = JSON.parse(rawBody.toString('utf8')) as TestEventBody;
      } catch (error) {
        throw new WebhookRejectedError('payload_invalid', 'webhook body is not JSON', { cause: error });
      }
      if (
        !body ||
        typeof body.id !== 'string' ||
        !EVENT_TYPES.has(body.type) ||
        typeof body.created !== 'number' ||
        !body.data ||
        typeof body.data.paymentId !== 'string' ||
        typeof body.data.amount !== 'number' ||
        typeof body.data.currency !== 'string'
      ) {
        throw new WebhookRejectedError('payload_invalid', 'webhook body is not a test provider event');
      }
      return toEvent(body);
    },

    takeWebhooks() {
      const taken = outbox;
      outbox = [];
      return taken;
    },
  };
}

function toEvent(body: TestEventBody): WebhookEvent {
  const event: WebhookEvent = {
    id: body.id,
    type: body.type,
    providerType: body.type,
    paymentId: body.data.paymentId,
    amount: body.data.amount,
    currency: body.data.currency,
    createdAt: new Date(body.created * 1000),
  };
  if (typeof body.data.orderId === 'string' && body.data.orderId) event.orderId = body.data.orderId;
  if (body.data.refundId !== undefined) event.refundId = body.data.refundId;
  if (body.data.declineCode !== undefined) event.declineCode = body.data.declineCode;
  return event;
}
