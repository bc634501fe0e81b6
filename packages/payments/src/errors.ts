export type PaymentErrorCode =
  | 'invalid_request'
  | 'payment_not_found'
  | 'invalid_state'
  | 'capture_exceeds_authorized'
  | 'refund_exceeds_captured'
  | 'idempotency_key_reused'
  | 'provider_error';

/** A payment operation that failed. `retryable` when the same call may succeed later. */
export class PaymentError extends Error {
  readonly code: PaymentErrorCode;
  readonly retryable: boolean;
  constructor(
    code: PaymentErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PaymentError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** A refund larger than what is still refundable (captured minus already refunded). */
export class RefundExceedsCapturedError extends PaymentError {
  /** What could still be refunded, when known. */
  readonly refundable: number | null;
  constructor(message: string, options: { refundable: number | null; cause?: unknown }) {
    super('refund_exceeds_captured', message, { cause: options.cause });
    this.name = 'RefundExceedsCapturedError';
    this.refundable = options.refundable;
  }
}

export type WebhookRejectionCode = 'signature_invalid' | 'timestamp_out_of_tolerance' | 'payload_invalid';

/** A webhook that must not be acted on; answer it with 400. */
export class WebhookRejectedError extends Error {
  readonly code: WebhookRejectionCode;
  constructor(code: WebhookRejectionCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'WebhookRejectedError';
    this.code = code;
  }
}
