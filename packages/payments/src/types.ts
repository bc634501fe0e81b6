/**
 * One interface for every payment backend: the built-in test provider (embedded default)
 * and Stripe (PaymentIntents + signed webhooks). Amounts are integers in the currency's
 * smallest unit (cents); currencies are ISO 4217 codes, lower case.
 */

export type PaymentProviderName = 'test' | 'stripe';

/**
 * - `succeeded`: the money is captured (automatic capture) or was captured by `capture()`.
 * - `requires_capture`: authorized, waiting for `capture()` (only with `captureMethod: 'manual'`).
 * - `requires_action`: the shopper must authenticate (3-D Secure); see `nextAction`.
 * - `processing`: the provider is still working on it; a webhook tells the outcome.
 * - `declined`: refused; `declineCode` says why (`card_declined`, `insufficient_funds`, ...).
 * - `canceled`: canceled before it was captured.
 */
export type PaymentStatus =
  | 'succeeded'
  | 'requires_capture'
  | 'requires_action'
  | 'processing'
  | 'declined'
  | 'canceled';

/**
 * What the shopper's browser must do next.
 * - `authenticate`: run the provider's challenge in the page (Stripe.js `handleNextAction(clientSecret)`;
 *   the test provider: call `confirm(id)`).
 * - `redirect`: send the shopper to `url`; they come back to the return URL.
 */
export type NextAction = { type: 'authenticate' } | { type: 'redirect'; url: string };

export interface CreatePaymentInput {
  /** Smallest currency unit, a positive integer. */
  amount: number;
  /** ISO 4217, e.g. `usd`, `eur` (any case; stored lower case). */
  currency: string;
  orderId: string;
  /** A retried call with the same key returns the same payment (1 to 255 characters). */
  idempotencyKey: string;
  /**
   * The payment method: a Stripe PaymentMethod id (`pm_...`) for Stripe; a test card number
   * (spaces allowed) or one of Stripe's test PaymentMethod ids (`pm_card_visa`, ...) for the test provider.
   */
  method: string;
}

export interface Payment {
  id: string;
  provider: PaymentProviderName;
  status: PaymentStatus;
  amount: number;
  currency: string;
  orderId: string;
  /** What has been captured so far (0 until captured). */
  amountCaptured: number;
  /** What has been refunded so far. */
  amountRefunded: number;
  /** Handed to the browser (Stripe.js) to finish a `requires_action` payment. */
  clientSecret?: string;
  nextAction?: NextAction;
  /** Why a `declined` payment was refused. */
  declineCode?: string;
}

export type RefundStatus = 'succeeded' | 'pending' | 'failed';

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
}

export interface RefundOptions {
  /** A retried refund with the same key is made once. */
  idempotencyKey?: string;
}

export type WebhookEventType =
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.requires_action'
  | 'payment.processing'
  | 'payment.authorized'
  | 'payment.canceled'
  | 'refund.succeeded'
  | 'refund.pending'
  | 'refund.failed'
  /** Any event this package does not interpret; `providerType` says which. */
  | 'other';

/** A verified webhook, the same shape for every provider. */
export interface WebhookEvent {
  /** The provider's event id: the same event delivered twice has the same id (see WebhookDeduper). */
  id: string;
  type: WebhookEventType;
  /** The provider's own event type, e.g. `payment_intent.succeeded`. */
  providerType: string;
  /** The payment the event is about; null for `other` events that are not about one. */
  paymentId: string | null;
  /**
   * For payment.* events, the order the payment was made for (Stripe: `metadata.order_id`):
   * finds the order when the process that charged it died before recording the payment id.
   */
  orderId?: string;
  /** For refund events, the refund's id. */
  refundId?: string;
  /** payment.*: the payment's amount (captured amount when succeeded); refund.*: the refund's amount. */
  amount: number;
  currency: string;
  /** For payment.failed. */
  declineCode?: string;
  /** When the provider created the event. */
  createdAt: Date;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPayment(input: CreatePaymentInput): Promise<Payment>;
  getPayment(id: string): Promise<Payment>;
  /**
   * The payment made for `orderId` under `idempotencyKey`, or null when the provider has none:
   * what the order's own record cannot say when the process died before writing the answer.
   * Stripe looks the intent up by its `metadata.order_id`.
   */
  findPayment(query: { orderId: string; idempotencyKey: string }): Promise<Payment | null>;
  /**
   * Captures an authorized (`requires_capture`) payment, fully or `amount` of it. On a payment
   * that is already `succeeded` it is a no-op returning the payment (so retries are safe).
   */
  capture(id: string, amount?: number): Promise<Payment>;
  /**
   * Cancels a payment that has not been captured (authorized, awaiting action or processing),
   * releasing any hold on the shopper's card. On a payment already `canceled` or `declined` it is
   * a no-op returning the payment; a captured payment is refunded instead (`invalid_state`).
   */
  cancel(id: string): Promise<Payment>;
  /**
   * Refunds `amount` (default: everything still refundable). Several partial refunds may be
   * made; their sum never exceeds what was captured (`RefundExceedsCapturedError`).
   */
  refund(id: string, amount?: number, options?: RefundOptions): Promise<Refund>;
  /**
   * Verifies and normalizes a webhook. `rawBody` must be the exact bytes received.
   * Throws `WebhookRejectedError` (`signature_invalid`, `timestamp_out_of_tolerance`, `payload_invalid`).
   */
  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookEvent;
}

/** Webhook signatures older (or newer) than this are rejected: 5 minutes, as Stripe. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
