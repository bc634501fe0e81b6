/**
 * Sentry, only when SENTRY_DSN is set where the app runs (not where it was built): the server
 * reads it in instrumentation.ts; the browser asks GET /monitoring for it (a static page can't
 * carry a runtime value, and NEXT_PUBLIC_ values are frozen at build). Browser events go back
 * through POST /monitoring on the app's own origin, so no page ever calls a third party, and
 * with SENTRY_DSN unset nothing of Sentry is loaded or sent. Shared by the storefront and the admin.
 */

export const SENTRY_TUNNEL = '/monitoring';

export interface SentrySettings {
  dsn: string;
  environment: string;
  tracesSampleRate: number;
}

type Env = Record<string, string | undefined>;

/** The settings from the environment, or null when SENTRY_DSN is unset (Sentry off). */
export function sentrySettings(env: Env = process.env): SentrySettings | null {
  const dsn = env.SENTRY_DSN?.trim();
  if (!dsn) return null;
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new Error('SENTRY_DSN: must be a URL like https://key@o0.ingest.sentry.io/0');
  }
  if (!/^https?:$/.test(url.protocol) || !url.username || !/\/\d+$/.test(url.pathname)) {
    throw new Error('SENTRY_DSN: must be a URL like https://key@o0.ingest.sentry.io/0');
  }
  const rateText = env.SENTRY_TRACES_SAMPLE_RATE?.trim();
  const rate = rateText ? Number(rateText) : 0;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error('SENTRY_TRACES_SAMPLE_RATE: must be a number from 0 to 1');
  }
  return {
    dsn,
    environment: env.SENTRY_ENVIRONMENT?.trim() || env.NODE_ENV || 'production',
    tracesSampleRate: rate,
  };
}

export interface SentryOptions extends SentrySettings {
  sendDefaultPii: false;
  tunnel?: string;
}

/** Options of Sentry.init on the server (instrumentation.ts) and in the browser. */
export function sentryOptions(settings: SentrySettings, where: 'server' | 'browser'): SentryOptions {
  return {
    dsn: settings.dsn,
    environment: settings.environment,
    tracesSampleRate: settings.tracesSampleRate,
    // No cookies, IPs or request bodies: shoppers' and staff's data stays here.
    sendDefaultPii: false,
    ...(where === 'browser' ? { tunnel: SENTRY_TUNNEL } : {}),
  };
}

/** Calls `init` with the options when Sentry is configured; false (nothing done) when it isn't. */
export async function initSentry(
  settings: SentrySettings | null,
  where: 'server' | 'browser',
  init: (options: SentryOptions) => unknown | Promise<unknown>,
): Promise<boolean> {
  if (!settings) return false;
  await init(sentryOptions(settings, where));
  return true;
}

/** Where an envelope for this DSN goes: https://host/api/<project>/envelope/. */
export function envelopeUrl(dsn: string): string {
  const url = new URL(dsn);
  const project = url.pathname.split('/').pop();
  const prefix = url.pathname.slice(0, url.pathname.lastIndexOf('/'));
  return `${url.protocol}//${url.host}${prefix}/api/${project}/envelope/`;
}

const MAX_ENVELOPE = 1024 * 1024;

/**
 * The tunnel: forwards a browser's envelope to Sentry, only for the configured DSN (never an
 * open relay). 404 when Sentry is off.
 */
export async function tunnelEnvelope(
  request: Request,
  settings: SentrySettings | null,
  send: typeof fetch = fetch,
): Promise<Response> {
  if (!settings) return new Response(null, { status: 404 });
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.byteLength > MAX_ENVELOPE) return new Response(null, { status: 413 });
  const end = body.indexOf(10);
  let header: { dsn?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(end === -1 ? body : body.subarray(0, end)));
  } catch {
    return new Response(null, { status: 400 });
  }
  if (typeof header.dsn !== 'string' || !sameProject(header.dsn, settings.dsn)) {
    return new Response(null, { status: 400 });
  }
  const upstream = await send(envelopeUrl(settings.dsn), {
    method: 'POST',
    headers: { 'content-type': 'application/x-sentry-envelope' },
    body,
  });
  return new Response(null, { status: upstream.status });
}

function sameProject(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.host === y.host && x.pathname === y.pathname && x.username === y.username;
  } catch {
    return false;
  }
}
