import path from 'node:path';
import { ConfigError } from '@e3d/config';
import { loadOrCreateLocalSecret } from '@e3d/storage';
import { createStripePaymentProvider, type StripePaymentProvider } from './stripe-provider.ts';
import { createTestPaymentProvider, type TestPaymentProvider } from './test-provider.ts';

/**
 * The settings payments read (a subset of `Config` once @e3d/config declares them).
 * STRIPE_SECRET_KEY chooses Stripe; without it the built-in test provider is used.
 */
export interface PaymentSettings {
  /** `sk_live_...`, `sk_test_...` or a restricted `rk_...` key; unset = the test provider. */
  STRIPE_SECRET_KEY?: string | undefined;
  /** The Stripe webhook endpoint's signing secret, `whsec_...`; required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET?: string | undefined;
  /** Stripe's API address (stripe-mock, a local stand-in); unset = api.stripe.com. */
  STRIPE_API_URL?: string | undefined;
  /** `automatic` (default) or `manual` (authorize at checkout, capture on shipment). */
  PAYMENT_CAPTURE_METHOD?: 'automatic' | 'manual' | undefined;
  /** The test provider's webhook signing secret; unset = generated once under DATA_DIR. */
  PAYMENT_WEBHOOK_SECRET?: string | undefined;
  /** DATA_DIR, absolute. */
  dataDir: string;
}

/** The provider the settings choose: Stripe when STRIPE_SECRET_KEY is set, else the test provider. */
export async function createPaymentProviderFromConfig(
  config: PaymentSettings,
): Promise<StripePaymentProvider | TestPaymentProvider> {
  const captureMethod = config.PAYMENT_CAPTURE_METHOD ?? 'automatic';
  if (captureMethod !== 'automatic' && captureMethod !== 'manual') {
    throw new ConfigError([{ setting: 'PAYMENT_CAPTURE_METHOD', message: 'must be automatic or manual' }]);
  }
  if (config.STRIPE_SECRET_KEY) {
    const issues: { setting: string; message: string }[] = [];
    if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(config.STRIPE_SECRET_KEY)) {
      issues.push({ setting: 'STRIPE_SECRET_KEY', message: 'must be a Stripe secret key like sk_live_...' });
    }
    if (!config.STRIPE_WEBHOOK_SECRET) {
      issues.push({ setting: 'STRIPE_WEBHOOK_SECRET', message: 'must be set when STRIPE_SECRET_KEY is set' });
    } else if (!/^whsec_[A-Za-z0-9+/=_-]+$/.test(config.STRIPE_WEBHOOK_SECRET)) {
      issues.push({
        setting: 'STRIPE_WEBHOOK_SECRET',
        message: 'must be a webhook signing secret like whsec_...',
      });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    const api = config.STRIPE_API_URL ? new URL(config.STRIPE_API_URL) : undefined;
    return createStripePaymentProvider({
      secretKey: config.STRIPE_SECRET_KEY,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET as string,
      captureMethod,
      ...(api
        ? {
            host: api.hostname,
            port: Number(api.port) || (api.protocol === 'http:' ? 80 : 443),
            protocol: api.protocol === 'http:' ? ('http' as const) : ('https' as const),
          }
        : {}),
    });
  }
  if (config.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError([
      { setting: 'STRIPE_SECRET_KEY', message: 'must be set when STRIPE_WEBHOOK_SECRET is set' },
    ]);
  }
  if (config.PAYMENT_WEBHOOK_SECRET !== undefined && config.PAYMENT_WEBHOOK_SECRET.length < 32) {
    throw new ConfigError([{ setting: 'PAYMENT_WEBHOOK_SECRET', message: 'must be at least 32 characters' }]);
  }
  const webhookSecret =
    config.PAYMENT_WEBHOOK_SECRET ||
    (await loadOrCreateLocalSecret(config.dataDir, 'payments-webhook')).toString('base64url');
  return createTestPaymentProvider({
    webhookSecret,
    captureMethod,
    statePath: path.join(config.dataDir, 'test-payments.jsonl'),
  });
}
