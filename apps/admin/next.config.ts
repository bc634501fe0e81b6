import { securityHeaders } from '@e3d/sdk/security-headers';
import { withSentryConfig } from '@sentry/nextjs';
import type { NextConfig } from 'next';

/** Where the admin's server reaches the API (inside AWS: the ALB or the service). */
const apiUrl = (process.env.E3D_API_URL ?? 'http://localhost:4000').replace(/\/$/, '');

const config: NextConfig = {
  // Tests build into their own folder, so a running `next dev` keeps its .next.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  transpilePackages: ['@e3d/contracts', '@e3d/sdk'],
  // One origin for the browser, as behind the ALB: the staff session cookies stay first-party.
  async rewrites() {
    return [
      { source: '/api/:path*', destination: `${apiUrl}/api/:path*` },
      { source: '/assets/:path*', destination: `${apiUrl}/assets/:path*` },
    ];
  },
  // The fixed security headers on every response; the CSP (a nonce per page) is proxy.ts's.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'x-robots-tag', value: 'noindex, nofollow' },
          ...securityHeaders('admin', { production: process.env.NODE_ENV === 'production' }),
        ],
      },
      {
        source: '/(draco|basis|meshopt)/:path*',
        headers: [{ key: 'cache-control', value: 'public, max-age=31536000, immutable' }],
      },
    ];
  },
};

/**
 * Sentry itself starts at run time (instrumentation.ts, when SENTRY_DSN is set there). The build
 * is wrapped only when SENTRY_DSN is set for it too, and uploads source maps only with
 * SENTRY_AUTH_TOKEN (+ SENTRY_ORG, SENTRY_PROJECT): no build ever needs Sentry credentials.
 */
export default process.env.SENTRY_DSN
  ? withSentryConfig(config, {
      silent: true,
      telemetry: false,
      authToken: process.env.SENTRY_AUTH_TOKEN,
      org: process.env.SENTRY_ORG,
      project: process.env.SENTRY_PROJECT,
      sourcemaps: { disable: !process.env.SENTRY_AUTH_TOKEN },
    })
  : config;
