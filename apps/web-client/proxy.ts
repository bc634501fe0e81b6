import { assetOrigins, contentSecurityPolicy } from '@e3d/sdk/security-headers';
import { NextResponse } from 'next/server';

/**
 * The storefront's Content-Security-Policy, on every page. Set here, at request time, because it
 * names the CDN (CLOUDFRONT_URL), a setting of where the app runs: next.config.ts headers() are
 * frozen into the build.
 *
 * Inline scripts are allowed ('unsafe-inline') rather than pinned by nonce: catalog pages are
 * rendered once and served to every shopper from the ISR cache, and a nonce must differ per
 * response, which in Next means rendering every page per request. Script *origins* are still
 * limited to the shop and Stripe.js, and nothing may frame it from elsewhere.
 */
const policy = contentSecurityPolicy('storefront', {
  origins: assetOrigins(),
  development: process.env.NODE_ENV === 'development',
});

export function proxy() {
  const response = NextResponse.next();
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    // Pages and route handlers: not the API or assets (the API answers those behind the ALB), nor
    // Next's static files and the 3D decoders.
    '/((?!api/|assets/|_next/static/|_next/image|draco/|basis/|meshopt/|env/|favicon.ico).*)',
  ],
};
