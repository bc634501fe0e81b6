/** The machine-readable facts behind each pricing error code. */
export interface PricingErrorDetailsByCode {
  /** An amount, quantity, weight or rate is not a safe non-negative integer, or a field is missing. */
  invalid_input: { field: string; reason: string };
  /** The currency is not an ISO 4217 code this library knows the exponent of. */
  unknown_currency: { currency: string };
  /** A line (or the shipping method) is priced in another currency than the cart. */
  currency_mismatch: { expected: string; actual: string; field: string };
  /** The shipping method has no rate for the destination country or for the cart's weight. */
  shipping_unavailable: {
    method: string;
    country: string;
    weightGrams: number;
    reason: 'no_rate_for_country' | 'too_heavy';
  };
}

export type PricingErrorCode = keyof PricingErrorDetailsByCode;

const TITLES: Record<PricingErrorCode, string> = {
  invalid_input: 'invalid pricing input',
  unknown_currency: 'unknown currency',
  currency_mismatch: 'mixed currencies in one cart',
  shipping_unavailable: 'shipping method unavailable for this destination',
};

/** The one error type of `@e3d/commerce` pricing; `code` is stable, `details` is plain JSON. */
export class PricingError<C extends PricingErrorCode = PricingErrorCode> extends Error {
  readonly code: C;
  readonly details: PricingErrorDetailsByCode[C];

  constructor(code: C, details: PricingErrorDetailsByCode[C]) {
    const reason = 'reason' in details ? `: ${details.reason}` : '';
    super(`${TITLES[code]}${reason}`);
    this.name = 'PricingError';
    this.code = code;
    this.details = details;
  }

  /** Narrows an unknown error to a PricingError, optionally of one code. */
  static is<K extends PricingErrorCode>(error: unknown, code?: K): error is PricingError<K> {
    return error instanceof PricingError && (code === undefined || error.code === code);
  }
}
