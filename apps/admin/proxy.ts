import { assetOrigins, contentSecurityPolicy, newNonce } from '@e3d/sdk/security-headers';
import { type NextRequest, NextResponse } from 'next/server';

/**
 * The admin's Content-Security-Policy, with a fresh nonce per page: Next reads it from the
 * request's CSP header while rendering and puts it on its own scripts, so no script without it
 * runs (staff pages are rendered per request anyway: app/layout.tsx is force-dynamic). Set here,
 * at request time, because the asset and upload hosts are settings of where the app runs.
 */
const origins = assetOrigins();
const development = process.env.NODE_ENV === 'development';

export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy('admin', { origins, nonce: newNonce(), development });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages and route handlers, not the API, assets or static files. Prefetches are left out
      // (Next's advice): they render no document, and would each cost a nonce for nothing.
      source: '/((?!api/|assets/|_next/static/|_next/image|draco/|basis/|meshopt/|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
