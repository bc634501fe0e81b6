import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { loadConfig } from '@e3d/config';
import { startTracing, type Tracing, tracingActive, withSpan } from '@e3d/telemetry';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTracing, tracingServerOptions } from '../src/plugins/tracing.ts';

/**
 * Real spans, exported over OTLP/HTTP (JSON encoding, which the JS exporter speaks) to a
 * receiver in this test, then read back: nothing of the SDK is mocked.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
  status?: { code?: number };
}
interface ReceivedSpan extends OtlpSpan {
  service: string;
  attr(key: string): string | number | boolean | undefined;
}

async function startReceiver() {
  const spans: ReceivedSpan[] = [];
  const posts: { path: string; contentType: string | undefined }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'] });
      if (
        req.method === 'POST' &&
        req.url === '/v1/traces' &&
        req.headers['content-type'] === 'application/json'
      ) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: OtlpValue }[] };
            scopeSpans: { spans: OtlpSpan[] }[];
          }[];
        };
        for (const rs of body.resourceSpans) {
          const service =
            rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const ss of rs.scopeSpans) {
            for (const span of ss.spans) {
              spans.push({
                ...span,
                service,
                attr(key) {
                  const value = span.attributes?.find((a) => a.key === key)?.value;
                  if (!value) return undefined;
                  if (value.intValue !== undefined) return Number(value.intValue);
                  return value.stringValue ?? value.boolValue ?? value.doubleValue;
                },
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    posts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const tracingEnv = (receiver: Receiver) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_SERVICE_NAME: 'e3d-api-test',
  OTEL_PROPAGATORS: 'tracecontext,baggage,xray',
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: '1',
  // Every request reaches the database.
  CACHE_ENABLED: 'false',
});

/** Flushes until a span matches (the server span ends in onResponse, after the reply is sent). */
async function waitForSpan(tracing: Tracing, receiver: Receiver, match: (span: ReceivedSpan) => boolean) {
  for (let i = 0; i < 50; i++) {
    await tracing.forceFlush();
    const found = receiver.spans.find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no matching span among ${receiver.spans.map((s) => s.name).join(', ')}`);
}

describe('tracing off', () => {
  it('starts no SDK and sends nothing without an OTLP endpoint, or with OTEL_TRACES_EXPORTER=none', async () => {
    const receiver = await startReceiver();
    const none = await startTracing(loadConfig({ NODE_ENV: 'test' }), { serviceName: 'e3d-api' });
    const disabled = await startTracing(
      loadConfig({ ...tracingEnv(receiver), OTEL_TRACES_EXPORTER: 'none' }),
      { serviceName: 'e3d-api' },
    );
    expect(none.enabled).toBe(false);
    expect(disabled.enabled).toBe(false);
    expect(tracingActive()).toBe(false);
    // Nothing is hooked into the app either.
    expect(tracingServerOptions()).toEqual({});
    const api = await startTestApi('embedded', {
      seed: 'fixture',
      env: { ...tracingEnv(receiver), OTEL_TRACES_EXPORTER: 'none' },
    });
    try {
      const res = await api.app.inject({
        method: 'GET',
        url: '/api/products',
        headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      });
      expect(res.statusCode).toBe(200);
      await none.forceFlush();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.posts).toEqual([]);
      expect(tracingActive()).toBe(false);
    } finally {
      await api.close();
      await receiver.close();
    }
  });
});

describe('tracing on', () => {
  let receiver: Receiver;
  let tracing: Tracing;

  beforeAll(async () => {
    receiver = await startReceiver();
    tracing = await startTracing(loadConfig({ NODE_ENV: 'test', ...tracingEnv(receiver) }), {
      serviceName: 'e3d-api',
    });
    expect(tracing.enabled).toBe(true);
    expect(tracingActive()).toBe(true);
  });
  afterAll(async () => {
    await tracing?.shutdown();
    expect(tracingActive()).toBe(false);
    await receiver?.close();
  });

  describe.each(BACKENDS)('on %s', (backend) => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi(backend, { seed: 'fixture', env: tracingEnv(receiver) });
    });
    afterAll(async () => {
      await api?.close();
    });

    it('exports a span per request, named by route, with its database statements as children', async () => {
      const list = await api.app.inject({ method: 'GET', url: '/api/products?limit=5' });
      expect(list.statusCode).toBe(200);
      const handle = (list.json() as { items: { handle: string }[] }).items[0]?.handle;
      expect(handle).toBeTruthy();
      const res = await api.app.inject({ method: 'GET', url: `/api/products/${handle}` });
      expect(res.statusCode).toBe(200);
      const requestId = res.headers['x-request-id'];

      const server = await waitForSpan(
        tracing,
        receiver,
        (s) => s.name === 'GET /api/products/:handle' && s.attr('request.id') === requestId,
      );
      expect(server.kind).toBe(2); // SERVER
      expect(server.service).toBe('e3d-api-test');
      expect(server.parentSpanId || undefined).toBeUndefined();
      expect(server.attr('http.response.status_code')).toBe(200);
      expect(server.attr('http.route')).toBe('/api/products/:handle');
      expect(server.attr('http.request.method')).toBe('GET');
      expect(server.attr('url.path')).toBe(`/api/products/${handle}`);

      const queries = receiver.spans.filter((s) => s.traceId === server.traceId && s.attr('db.system'));
      expect(queries.length).toBeGreaterThan(0);
      for (const query of queries) {
        expect(query.parentSpanId).toBe(server.spanId);
        expect(query.kind).toBe(3); // CLIENT
        expect(query.attr('db.system')).toBe('postgresql');
        expect(query.attr('e3d.db.driver')).toBe(backend === 'embedded' ? 'pglite' : 'pg');
        const statement = String(query.attr('db.statement'));
        expect(statement.length).toBeLessThanOrEqual(2048);
        expect(statement).not.toMatch(/\s{2,}/);
        expect(statement).not.toContain(String(handle)); // parameters are never recorded
      }
      expect(queries.some((q) => /products/i.test(String(q.attr('db.statement'))))).toBe(true);

      const listSpan = await waitForSpan(tracing, receiver, (s) => s.name === 'GET /api/products');
      expect(listSpan.traceId).not.toBe(server.traceId);
    });

    it('continues the caller’s trace from traceparent, and from X-Amzn-Trace-Id', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      const res = await api.app.inject({
        method: 'GET',
        url: '/api/products?limit=1',
        headers: { traceparent: `00-${traceId}-${parentId}-01` },
      });
      expect(res.statusCode).toBe(200);
      const server = await waitForSpan(tracing, receiver, (s) => s.traceId === traceId && s.kind === 2);
      expect(server.parentSpanId).toBe(parentId);
      expect(server.name).toBe('GET /api/products');
      const children = receiver.spans.filter(
        (s) => s.traceId === traceId && s.parentSpanId === server.spanId,
      );
      expect(children.length).toBeGreaterThan(0);

      const xray = await api.app.inject({
        method: 'GET',
        url: '/api/products?limit=1',
        headers: {
          'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        },
      });
      expect(xray.statusCode).toBe(200);
      const fromXray = await waitForSpan(
        tracing,
        receiver,
        (s) => s.traceId === '5759e988bd862e3fe1be46a994272793' && s.kind === 2,
      );
      expect(fromXray.parentSpanId).toBe('53995c3f42cd8ad8');
    });

    it('names unmatched routes by method only and marks 5xx as errors only', async () => {
      const res = await api.app.inject({ method: 'GET', url: '/api/products/no-such-product-here' });
      expect(res.statusCode).toBe(404);
      const requestId = res.headers['x-request-id'];
      const span = await waitForSpan(tracing, receiver, (s) => s.attr('request.id') === requestId);
      expect(span.attr('http.response.status_code')).toBe(404);
      expect(span.status?.code ?? 0).not.toBe(2); // 4xx is the client's error, not the server's

      const missing = await api.app.inject({ method: 'GET', url: '/no/such/route' });
      expect(missing.statusCode).toBe(404);
      const unmatched = await waitForSpan(
        tracing,
        receiver,
        (s) => s.attr('request.id') === missing.headers['x-request-id'],
      );
      expect(unmatched.name).toBe('GET');
    });
  });

  it('puts trace_id and span_id on every log line of a request', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        callback();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream }, ...tracingServerOptions() });
    registerTracing(app);
    app.get('/hello/:name', async (request) => {
      request.log.info('handling');
      return { ok: true };
    });
    const res = await app.inject({ method: 'GET', url: '/hello/x' });
    expect(res.statusCode).toBe(200);
    const span = await waitForSpan(tracing, receiver, (s) => s.name === 'GET /hello/:name');
    await app.close();
    const requestLines = lines.filter((l) => l.reqId !== undefined);
    expect(requestLines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'handling', 'request completed']),
    );
    for (const line of requestLines) {
      expect(line.trace_id).toBe(span.traceId);
      expect(line.span_id).toBe(span.spanId);
    }
  });

  it('traces outgoing HTTP (node:http and fetch) and job-like spans, as children of the active span', async () => {
    const target = http.createServer((_req, res) => res.end('ok'));
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
    try {
      await withSpan('job webhooks', {}, async () => {
        await (await fetch(url)).text();
        await new Promise<void>((resolve, reject) => {
          http
            .get(url, (res) => {
              res.resume();
              res.on('end', resolve);
            })
            .on('error', reject);
        });
      });
    } finally {
      target.close();
    }
    const job = await waitForSpan(tracing, receiver, (s) => s.name === 'job webhooks');
    const outgoing = await waitForSpan(
      tracing,
      receiver,
      (s) => s.traceId === job.traceId && s.kind === 3 && s.parentSpanId === job.spanId && s.name === 'GET',
    );
    expect(outgoing.parentSpanId).toBe(job.spanId);
    const clients = receiver.spans.filter((s) => s.traceId === job.traceId && s.kind === 3);
    // One from fetch (undici), one from node:http.
    expect(clients.length).toBe(2);
    // The exporter's own requests are never traced.
    expect(receiver.spans.some((s) => String(s.attr('url.full') ?? '').includes('/v1/traces'))).toBe(false);
  });
});
