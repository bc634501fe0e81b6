import { assetOrigins, contentSecurityPolicy, securityHeaders } from '@e3d/sdk/security-headers';
import { cspDirectives } from '@e3d/testing/browser';
import { describe, expect, it } from 'vitest';

/**
 * The hosts the apps' CSP allows come from the API's own settings, with the API's defaults; the
 * browser tests (storefront, admin, cdn) check the headers on real pages.
 */
describe('security headers', () => {
  it('derives the asset and upload hosts as the API does', () => {
    expect(assetOrigins({})).toEqual({
      cdn: null,
      assets: 'http://localhost:4000',
      uploads: 'http://localhost:4000',
    });
    expect(assetOrigins({ API_PORT: '4100' }).assets).toBe('http://localhost:4100');
    expect(
      assetOrigins({
        PUBLIC_API_URL: 'https://shop.example.com/',
        CLOUDFRONT_URL: 'https://cdn.shop.example.com/',
        S3_BUCKET: 'e3d-prod-assets',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual({
      cdn: 'https://cdn.shop.example.com',
      assets: 'https://cdn.shop.example.com',
      // createPresignedPost's URL for the bucket.
      uploads: 'https://e3d-prod-assets.s3.eu-west-1.amazonaws.com',
    });
    expect(assetOrigins({ S3_BUCKET: 'b', S3_ENDPOINT: 'http://s3:8333' }).uploads).toBe('http://s3:8333');
  });

  it('refuses a malformed setting, naming it', () => {
    expect(() => assetOrigins({ CLOUDFRONT_URL: 'cdn.example.com' })).toThrow(/^CLOUDFRONT_URL: /);
    expect(() => assetOrigins({ PUBLIC_API_URL: 'ftp://x' })).toThrow(/^PUBLIC_API_URL: /);
    expect(() => assetOrigins({ S3_BUCKET: 'b', S3_ENDPOINT: '::' })).toThrow(/^S3_ENDPOINT: /);
  });

  it('names the CDN, Stripe on the storefront only, the upload host on the admin only', () => {
    const origins = assetOrigins({
      CLOUDFRONT_URL: 'https://cdn.example.com',
      S3_BUCKET: 'assets',
      AWS_REGION: 'us-east-1',
    });
    const shop = cspDirectives(contentSecurityPolicy('storefront', { origins }));
    const admin = cspDirectives(contentSecurityPolicy('admin', { origins, nonce: 'abc' }));
    for (const csp of [shop, admin]) {
      expect(csp['img-src']).toContain('https://cdn.example.com');
      expect(csp['connect-src']).toContain('https://cdn.example.com');
    }
    expect(shop['script-src']).toEqual(expect.arrayContaining(["'unsafe-inline'", 'https://js.stripe.com']));
    expect(shop['connect-src']).not.toContain('https://assets.s3.us-east-1.amazonaws.com');
    expect(admin['script-src']).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'", "'wasm-unsafe-eval'"]);
    expect(admin['connect-src']).toContain('https://assets.s3.us-east-1.amazonaws.com');
    expect(admin['frame-ancestors']).toEqual(["'none'"]);
    // React's development build evaluates code; production never allows it.
    expect(
      cspDirectives(contentSecurityPolicy('admin', { origins, development: true }))['script-src'],
    ).toContain("'unsafe-eval'");
  });

  it('sends HSTS from production builds only', () => {
    const names = (production: boolean) => securityHeaders('storefront', { production }).map((h) => h.key);
    expect(names(true)).toContain('Strict-Transport-Security');
    expect(names(false)).not.toContain('Strict-Transport-Security');
    expect(securityHeaders('admin', { production: true })).toContainEqual({
      key: 'X-Frame-Options',
      value: 'DENY',
    });
  });
});
