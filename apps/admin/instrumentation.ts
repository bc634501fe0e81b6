import { initSentry, sentrySettings } from '@e3d/sdk/sentry';
import type { Instrumentation } from 'next';

/** Sentry on the server, only when SENTRY_DSN is set at run time; otherwise nothing is loaded. */
let enabled = false;

export async function register() {
  enabled = await initSentry(sentrySettings(), 'server', async (options) => {
    const Sentry = await import('@sentry/nextjs');
    Sentry.init(options);
  });
}

export const onRequestError: Instrumentation.onRequestError = async (...args) => {
  if (!enabled) return;
  const Sentry = await import('@sentry/nextjs');
  Sentry.captureRequestError(...args);
};
