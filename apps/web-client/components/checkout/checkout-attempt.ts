/**
 * One press of "Pay" is one attempt with its own idempotency key. An attempt a network failure or
 * a 5xx interrupted is sent again with the same key and body, so the API answers with the order
 * it may already have placed instead of charging twice; changed details make a new attempt.
 */

/** POST /api/checkout */
export interface CheckoutBody {
  email?: string;
  shippingAddress?: Record<string, unknown>;
  shippingMethodId?: string;
  payment: { method: string };
}

export interface CheckoutAttempt {
  key: string;
  body: CheckoutBody;
}

/** The attempt to send `body`: the interrupted one again when nothing changed, else a new key. */
export function attemptFor(
  previous: CheckoutAttempt | null,
  body: CheckoutBody,
  newKey: () => string,
): CheckoutAttempt {
  const same = previous !== null && JSON.stringify(previous.body) === JSON.stringify(body);
  return same ? previous : { key: newKey(), body };
}

/** Whether a failed attempt may be sent again as it was (its outcome is unknown). */
export function isInterrupted(
  error: { isNetworkError?: boolean; status?: number } | null | undefined,
): boolean {
  return !!error && (error.isNetworkError === true || (error.status ?? 0) >= 500);
}
