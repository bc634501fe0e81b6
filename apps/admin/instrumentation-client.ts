import type { SentryOptions } from '@e3d/sdk/sentry';

/**
 * Sentry in the browser, when the server says it is configured (GET /monitoring, cached five
 * minutes). The SDK is a separate chunk, fetched only then.
 */
type SentryModule = typeof import('@sentry/nextjs');
let sentry: SentryModule | undefined;

async function start() {
  const response = await fetch('/monitoring', { headers: { accept: 'application/json' } }).catch(() => null);
  if (!response?.ok) return;
  const options = (await response.json().catch(() => null)) as SentryOptions | null;
  if (!options?.dsn) return;
  const Sentry = await import('@sentry/nextjs');
  Sentry.init({
    ...options,
    integrations: options.tracesSampleRate > 0 ? [Sentry.browserTracingIntegration()] : [],
  });
  sentry = Sentry;
}

void start();

export function onRouterTransitionStart(href: string, navigationType: string) {
  sentry?.captureRouterTransitionStart(href, navigationType);
}
