import { SENTRY_TUNNEL, sentryOptions, sentrySettings, tunnelEnvelope } from '@e3d/sdk/sentry';

// Read at request time: SENTRY_DSN belongs to the running task, not to the build.
export const dynamic = 'force-dynamic';

/** The browser's Sentry options; `null` when Sentry is off. */
export function GET() {
  const settings = sentrySettings();
  return Response.json(settings ? { ...sentryOptions(settings, 'browser'), tunnel: SENTRY_TUNNEL } : null, {
    headers: { 'cache-control': 'public, max-age=300' },
  });
}

/** Browser events, forwarded to Sentry (same origin: no third-party request from pages). */
export function POST(request: Request) {
  return tunnelEnvelope(request, sentrySettings());
}
