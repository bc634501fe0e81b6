import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookRejectedError } from './errors.ts';
import { WEBHOOK_TOLERANCE_SECONDS } from './types.ts';

/** The test provider's webhook signature header (the same scheme as Stripe's `stripe-signature`). */
export const TEST_SIGNATURE_HEADER = 'e3d-signature';

const hmac = (secret: string, timestamp: number, body: Buffer | string) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

/**
 * The `e3d-signature` header value for `body`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
 */
export function signTestWebhook(options: {
  body: Buffer | string;
  secret: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}): string {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return `t=${timestamp},v1=${hmac(options.secret, timestamp, options.body)}`;
}

/**
 * Checks an `e3d-signature` header: some `v1` (several are allowed, for secret rotation) must
 * match, then the timestamp must be within `toleranceSeconds` of now (either way).
 */
export function verifyTestWebhook(options: {
  body: Buffer;
  header: string | undefined;
  secret: string;
  toleranceSeconds?: number;
  /** Unix seconds; default now. */
  now?: number;
}): void {
  const { header } = options;
  if (!header) throw new WebhookRejectedError('signature_invalid', `missing ${TEST_SIGNATURE_HEADER} header`);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookRejectedError('signature_invalid', `malformed ${TEST_SIGNATURE_HEADER} header`);
  }
  const expected = Buffer.from(hmac(options.secret, timestamp, options.body), 'hex');
  const matches = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!matches) throw new WebhookRejectedError('signature_invalid', 'webhook signature does not match');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookRejectedError(
      'timestamp_out_of_tolerance',
      `webhook timestamp is more than ${tolerance} s away from now`,
    );
  }
}
