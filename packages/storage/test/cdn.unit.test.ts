import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CdnInvalidator, contentHashedKey, createCdnInvalidator } from '../src/index.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

interface Recorded {
  method: string;
  url: string;
  authorization: string;
  paths: string[];
  quantity: number;
  callerReference: string;
}

const XMLNS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
const tags = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1] ?? '');

/** Answers CreateInvalidation the way CloudFront does (201 + Invalidation XML); EBROKEN gets a 404. */
function cloudFrontStub(recorded: Recorded[]): Server {
  return createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const paths = tags(body, 'Path');
    recorded.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: String(req.headers.authorization ?? ''),
      paths,
      quantity: Number(tags(body, 'Quantity')[0]),
      callerReference: tags(body, 'CallerReference')[0] ?? '',
    });
    if (req.url?.includes('/EBROKEN/')) {
      res.writeHead(404, { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' });
      res.end(
        `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>NoSuchDistribution</Code><Message>The specified distribution does not exist.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`,
      );
      return;
    }
    const id = `I${recorded.length}`;
    res.writeHead(201, {
      'content-type': 'text/xml',
      location: `https://cloudfront.amazonaws.com/2020-05-31/distribution/E1/invalidation/${id}`,
      'x-amzn-requestid': `req-${id}`,
    });
    res.end(
      `<?xml version="1.0"?><Invalidation xmlns="${XMLNS}"><Id>${id}</Id><Status>InProgress</Status><CreateTime>2026-01-01T00:00:00.000Z</CreateTime><InvalidationBatch><Paths><Quantity>${paths.length}</Quantity><Items>${paths.map((p) => `<Path>${p}</Path>`).join('')}</Items></Paths><CallerReference>${tags(body, 'CallerReference')[0]}</CallerReference></InvalidationBatch></Invalidation>`,
    );
  });
}

describe('CloudFront invalidation batching (real HTTP to a local CloudFront stub)', () => {
  const recorded: Recorded[] = [];
  const server = cloudFrontStub(recorded);
  let client: CloudFrontClient;
  const invalidators: CdnInvalidator[] = [];
  const unexpected: unknown[] = [];
  const make = (options: Parameters<typeof createCdnInvalidator>[0]) => {
    const invalidator = createCdnInvalidator({
      distributionId: 'EDFDVBD6EXAMPLE',
      client,
      onError: (error) => unexpected.push(error),
      ...options,
    });
    invalidators.push(invalidator);
    return invalidator;
  };

  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    client = new CloudFrontClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
  });
  afterEach(async () => {
    for (const invalidator of invalidators.splice(0)) await invalidator.close();
    recorded.length = 0;
    // Every stubbed answer parsed as a successful CreateInvalidation.
    expect(unexpected.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    client?.destroy();
    server.close();
  });

  it('sends one deduplicated invalidation per window, skipping content-hashed keys', async () => {
    const cdn = make({ batchWindowMs: 300 });
    const hashed = contentHashedKey('models', 'ab'.repeat(32), 'glb');
    expect(cdn.invalidate(['assets/img/banner.webp', '/assets/catalog.json', hashed])).toBe(2);
    expect(cdn.invalidate(['/assets/img/banner.webp', 'assets/img/hero.png', `/${hashed}`])).toBe(1);
    await sleep(20);
    expect(recorded).toHaveLength(0);

    await vi.waitFor(() => expect(recorded).toHaveLength(1), { timeout: 3000, interval: 20 });
    await sleep(100);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      method: 'POST',
      url: '/2020-05-31/distribution/EDFDVBD6EXAMPLE/invalidation',
      quantity: 3,
    });
    expect(recorded[0]?.paths.sort()).toEqual([
      '/assets/catalog.json',
      '/assets/img/banner.webp',
      '/assets/img/hero.png',
    ]);
    expect(recorded[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);

    // A later window is a new batch, and may repeat a path that was already sent.
    cdn.invalidate(['/assets/img/banner.webp']);
    await cdn.flush();
    expect(recorded).toHaveLength(2);
    expect(recorded[1]?.paths).toEqual(['/assets/img/banner.webp']);
    expect(new Set(recorded.map((r) => r.callerReference)).size).toBe(2);
  });

  it('sends a full batch at once and splits larger sets', async () => {
    const cdn = make({ batchWindowMs: 60_000, maxPathsPerBatch: 2 });
    cdn.invalidate(['/a', '/b', '/c', '/d', '/e']);
    // Two full batches left without waiting for the window; /e waits for it (or a flush).
    await vi.waitFor(() => expect(recorded).toHaveLength(2), { timeout: 3000, interval: 20 });
    // Two requests in flight at once may arrive in either order.
    const batches = () => recorded.map((r) => r.paths.join(' ')).sort();
    expect(batches()).toEqual(['/a /b', '/c /d']);
    await cdn.flush();
    expect(batches()).toEqual(['/a /b', '/c /d', '/e']);
    expect(new Set(recorded.map((r) => r.callerReference)).size).toBe(3);
  });

  it('flushes on close and refuses paths afterwards', async () => {
    const cdn = make({ batchWindowMs: 60_000 });
    cdn.invalidate(['/assets/x.json']);
    await cdn.close();
    expect(recorded.map((r) => r.paths)).toEqual([['/assets/x.json']]);
    expect(() => cdn.invalidate(['/y'])).toThrow(/closed/);
  });

  it('hands refused batches to onError', async () => {
    const failures: { error: unknown; paths: readonly string[] }[] = [];
    const cdn = make({
      distributionId: 'EBROKEN',
      batchWindowMs: 10,
      onError: (error, paths) => failures.push({ error, paths }),
    });
    cdn.invalidate(['/a', '/b']);
    await cdn.flush();
    expect(failures).toHaveLength(1);
    expect(failures[0]?.paths).toEqual(['/a', '/b']);
    expect(failures[0]?.error).toMatchObject({ name: 'NoSuchDistribution' });
  });

  it('is a no-op without a distribution', async () => {
    const cdn = createCdnInvalidator({ client });
    expect(cdn.enabled).toBe(false);
    expect(cdn.invalidate(['/assets/a.json'])).toBe(0);
    await cdn.flush();
    await cdn.close();
    expect(recorded).toHaveLength(0);
  });
});
