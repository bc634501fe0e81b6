import { randomBytes } from 'node:crypto';
import {
  signTestWebhook,
  TEST_SIGNATURE_HEADER,
  verifyTestWebhook,
  WebhookRejectedError,
} from '@e3d/payments';

/**
 * Outbound webhook signatures, Stripe-style. Each attempt sends
 *
 *   e3d-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>
 *
 * where `secret` is the endpoint's whole secret string (`whsec_…`, as UTF-8) and `body` the
 * exact bytes of the request body. A receiver recomputes the HMAC over the raw body it read
 * (before any JSON parsing), compares in constant time, and refuses a `t` too far from its
 * clock (5 minutes by default), which stops a captured request being replayed later.
 * Receivers should ignore schemes other than v1 (more may be added, and several `v1=` may be
 * sent, e.g. while a secret rotates).
 */
export const SIGNATURE_HEADER = TEST_SIGNATURE_HEADER;

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const bytes = (body: string | Uint8Array) =>
  typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);

/** The `e3d-signature` header for `body` sent at `unixSeconds` (the payments scheme, reused). */
export function signWebhookPayload(secret: string, body: string | Uint8Array, unixSeconds: number): string {
  return signTestWebhook({ body: bytes(body), secret, timestamp: Math.floor(unixSeconds) });
}

/**
 * For receivers: true when `header` carries a v1 signature of `rawBody` by `secret`, made
 * no more than `toleranceSeconds` from `nowMs`. `rawBody` must be the bytes as received.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  toleranceSeconds = 300,
  nowMs: number = Date.now(),
): boolean {
  try {
    verifyTestWebhook({
      body: bytes(rawBody),
      header: header ?? undefined,
      secret,
      toleranceSeconds,
      now: Math.floor(nowMs / 1000),
    });
    return true;
  } catch (error) {
    if (error instanceof WebhookRejectedError) return false;
    throw error;
  }
}
