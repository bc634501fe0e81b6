import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

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
export const SIGNATURE_HEADER = 'e3d-signature';

/** A new endpoint secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The `e3d-signature` header for `body` sent at `unixSeconds`. */
export function signWebhookPayload(secret: string, body: string | Uint8Array, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  return `t=${t},v1=${hmac(secret, t, body).toString('hex')}`;
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
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = hmac(secret, timestamp, rawBody);
  return signatures.some((signature) => timingSafeEqual(signature, expected));
}
