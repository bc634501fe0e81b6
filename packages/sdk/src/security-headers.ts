/**
 * The security headers of the storefront and the admin, shared by both Next apps. The fixed ones
 * go on every response from next.config.ts. The Content-Security-Policy is set per request by each
 * app's proxy.ts instead: it names settings of where the app runs (CLOUDFRONT_URL, the upload
 * endpoint), which a build cannot know, and on the admin it carries a fresh nonce.
 */

export type WebApp = 'storefront' | 'admin';

type Env = Record<string, string | undefined>;

export interface SecurityHeader {
  key: string;
  value: string;
}

/** Two years, the HSTS preload list's floor; CloudFront sends the same for the CDN host. */
const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Headers for every response. HSTS only in production (`next build` / `next start`): a browser
 * that once saw it on localhost would refuse plain-HTTP `next dev` on every port for two years.
 */
export function securityHeaders(app: WebApp, options: { production: boolean }): SecurityHeader[] {
  return [
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    // frame-ancestors in the CSP says the same; this is for browsers that predate it.
    { key: 'X-Frame-Options', value: app === 'admin' ? 'DENY' : 'SAMEORIGIN' },
    ...(options.production ? [{ key: 'Strict-Transport-Security', value: HSTS }] : []),
  ];
}

/** Where the browser finds what the API points it at, from the API's own settings. */
export interface AssetOrigins {
  /** CLOUDFRONT_URL's origin; null without a CDN. */
  cdn: string | null;
  /** Origin of asset URLs: the CDN, else PUBLIC_API_URL (as @e3d/config derives assetBaseUrl). */
  assets: string;
  /** Where the admin's browser posts direct uploads: the S3 bucket with S3_BUCKET, else the API. */
  uploads: string;
}

function originOf(name: string, value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${name}: must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.origin;
}

/**
 * The same settings the API reads (CLOUDFRONT_URL, PUBLIC_API_URL, API_PORT, S3_BUCKET,
 * S3_ENDPOINT, AWS_REGION), with the same defaults, so the apps allow exactly the hosts the API's
 * URLs and upload grants name. A malformed one is an error naming it.
 */
export function assetOrigins(env: Env = process.env): AssetOrigins {
  const setting = (name: string) => env[name]?.trim() || undefined;
  const cdnUrl = setting('CLOUDFRONT_URL');
  const cdn = cdnUrl ? originOf('CLOUDFRONT_URL', cdnUrl) : null;
  const publicApiUrl = setting('PUBLIC_API_URL');
  const api = publicApiUrl
    ? originOf('PUBLIC_API_URL', publicApiUrl)
    : `http://localhost:${setting('API_PORT') ?? '4000'}`;
  const bucket = setting('S3_BUCKET');
  const endpoint = setting('S3_ENDPOINT');
  // createPresignedPost's URL: path-style on the endpoint, else the bucket's regional host.
  const uploads = bucket
    ? endpoint
      ? originOf('S3_ENDPOINT', endpoint)
      : `https://${bucket}.s3.${setting('AWS_REGION') ?? 'us-east-1'}.amazonaws.com`
    : api;
  return { cdn, assets: cdn ?? api, uploads };
}

/** Stripe.js and its frames (docs.stripe.com/security/guide#content-security-policy). */
const STRIPE = {
  script: ['https://js.stripe.com'],
  frame: ['https://js.stripe.com', 'https://hooks.stripe.com'],
  connect: ['https://api.stripe.com'],
};

export interface PolicyOptions {
  origins: AssetOrigins;
  /**
   * A fresh per-response nonce: scripts run only with it (and what they load, 'strict-dynamic').
   * Without one, inline scripts are allowed ('unsafe-inline'); see each app's proxy.ts for why.
   */
  nonce?: string;
  /** `next dev`: React's dev build needs eval (reconstructing server error stacks). */
  development?: boolean;
}

/**
 * The app's Content-Security-Policy. What <model-viewer> needs: blob: and data: for the textures
 * and buffers three.js unpacks from a GLB (images and fetches), workers from blob: URLs (Draco,
 * KTX2 and Meshopt decoders) that compile WebAssembly ('wasm-unsafe-eval'), and the asset origin
 * for the model, poster and images. Styles allow inline: React's style attributes and Next's
 * injected styles carry no nonce. Sentry reports through the app's own /monitoring.
 */
export function contentSecurityPolicy(app: WebApp, options: PolicyOptions): string {
  const { origins, nonce, development = false } = options;
  const storefront = app === 'storefront';
  const assets = [...new Set(["'self'", origins.assets])];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': [
      "'self'",
      ...(nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : ["'unsafe-inline'"]),
      "'wasm-unsafe-eval'",
      ...(development ? ["'unsafe-eval'"] : []),
      ...(storefront ? STRIPE.script : []),
    ],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': [...assets, 'blob:', 'data:'],
    'media-src': [...assets, 'blob:', 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': [
      ...new Set([...assets, 'blob:', 'data:', ...(storefront ? STRIPE.connect : [origins.uploads])]),
    ],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': storefront ? ["'self'", ...STRIPE.frame] : ["'none'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    // The admin is never framed (clickjacking on staff actions); the shop only by itself.
    'frame-ancestors': storefront ? ["'self'"] : ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** A nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
