import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * CloudFront in front of the assets bucket, as infra/terraform/cloudfront.tf sets it up, for
 * tests in a real browser: `/assets/*` is forwarded to the bucket under the same key (path-style,
 * as on s3rver), with the bucket's Content-Type, Cache-Control and ETag; the response headers
 * policy's CORS is added for the allowed origins (model-viewer fetches models with fetch());
 * anything else is refused, as the bucket policy refuses keys outside `assets/`.
 */
export interface TestCdn {
  /** The distribution's URL: what CLOUDFRONT_URL is set to. */
  url: string;
  /** Paths the CDN was asked for, in order (`/assets/…`). */
  requests: string[];
  /** The storefront's and admin's origins (the policy's access_control_allow_origins). */
  allowOrigin(origin: string): void;
  close(): Promise<void>;
}

const FORWARDED = ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified'];

export async function startTestCdn(bucketUrl: string): Promise<TestCdn> {
  const origins = new Set<string>();
  const requests: string[] = [];
  const cors = (origin: string | undefined): Record<string, string> =>
    origin && origins.has(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'GET, HEAD, OPTIONS',
          'access-control-max-age': '86400',
          vary: 'Origin',
        }
      : {};
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    const allow = cors(req.headers.origin);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, allow).end();
      return;
    }
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !path.startsWith('/assets/')) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('AccessDenied');
      return;
    }
    const upstream = http.request(
      `${bucketUrl}${path}`,
      {
        method: req.method,
        headers: req.headers['if-none-match'] ? { 'if-none-match': req.headers['if-none-match'] } : {},
      },
      (answer) => {
        const headers: Record<string, string> = { ...allow };
        for (const name of FORWARDED) {
          const value = answer.headers[name];
          if (typeof value === 'string') headers[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`cdn: ${error.message}`);
    });
    upstream.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    allowOrigin: (origin) => origins.add(new URL(origin).origin),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
