import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '@e3d/config';
import { type Database, migrate, openDatabase } from '@e3d/db';
import { type ObjectStore, openStoreFromConfig } from '@e3d/storage';
import { BACKENDS, type BackendName, createPostgresDatabase, TEST_REDIS_URL } from '@e3d/testing/postgres';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { ipBucket, rateLimit } from '../src/plugins/protection.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

const STOREFRONT = 'https://shop.example.test';
const ADMIN = 'https://admin.example.test';
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Backing {
  config: Config;
  db: Database;
  store: ObjectStore;
  close(): Promise<void>;
}

/** One database (and DATA_DIR) that several API instances share, as ECS tasks do. */
async function openBacking(backend: BackendName): Promise<Backing> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-protection-'));
  const pgDb = backend === 'postgres+redis' ? await createPostgresDatabase() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    STOREFRONT_URL: STOREFRONT,
    ADMIN_URL: `${ADMIN}/`,
    ...(pgDb ? { DATABASE_URL: pgDb.url, REDIS_URL: TEST_REDIS_URL } : {}),
  });
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL });
  await migrate(db);
  const store = await openStoreFromConfig(config);
  return {
    config,
    db,
    store,
    async close() {
      await db.close();
      await pgDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Instance {
  app: FastifyInstance;
  runtime: Runtime;
  close(): Promise<void>;
}

/** An API instance with a test-only route behind a sign-in-like limit. */
async function startInstance(backing: Backing, redisKeyPrefix: string): Promise<Instance> {
  const runtime = await openRuntime(backing.config, { db: backing.db, store: backing.store, redisKeyPrefix });
  const app = await buildApp(runtime);
  app.post(
    '/api/test/sign-in',
    {
      preHandler: rateLimit({
        name: 'test-sign-in',
        perIp: { max: 4, windowSeconds: 60 },
        perAccount: { max: 2, windowSeconds: 900, key: (request) => request.body?.email },
      }),
    },
    async () => ({ ok: true }),
  );
  await app.ready();
  return {
    app,
    runtime,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

describe.each(BACKENDS)('protection on %s', (backend) => {
  let backing: Backing;
  let api: Instance;
  let ipCounter = 0;
  /** A fresh documentation-range address per test, so tests do not share per-IP counts. */
  const nextIp = () => `198.51.100.${++ipCounter}`;

  beforeAll(async () => {
    backing = await openBacking(backend);
    api = await startInstance(backing, `e3d-test:${randomUUID()}:`);
  });
  afterAll(async () => {
    await api?.close();
    await backing?.close();
  });

  const signIn = (app: FastifyInstance, email: string | undefined, remoteAddress: string) =>
    app.inject({
      method: 'POST',
      url: '/api/test/sign-in',
      remoteAddress,
      payload: email === undefined ? {} : { email, password: 'wrong' },
    });

  describe('CORS', () => {
    it('lets the storefront and the admin app call with credentials', async () => {
      for (const origin of [STOREFRONT, ADMIN]) {
        const response = await api.app.inject({ method: 'GET', url: '/api/healthz', headers: { origin } });
        expect(response.statusCode).toBe(200);
        expect(response.headers['access-control-allow-origin']).toBe(origin);
        expect(response.headers['access-control-allow-credentials']).toBe('true');
        expect(String(response.headers.vary)).toMatch(/origin/i);
        const exposed = String(response.headers['access-control-expose-headers']).split(/,\s*/);
        expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'retry-after']));
      }
    });

    it('answers the preflight of a cookie-authenticated write', async () => {
      const response = await api.app.inject({
        method: 'OPTIONS',
        url: '/api/test/sign-in',
        headers: {
          origin: STOREFRONT,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-csrf-token',
        },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(STOREFRONT);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(response.headers['access-control-allow-headers'])).toContain('x-csrf-token');
      expect(response.headers['access-control-max-age']).toBe('600');
    });

    it('gives any other origin nothing to read', async () => {
      for (const origin of ['https://evil.example', 'https://shop.example.test.evil.example', 'null']) {
        const simple = await api.app.inject({ method: 'GET', url: '/api/healthz', headers: { origin } });
        expect(simple.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await api.app.inject({
          method: 'OPTIONS',
          url: '/api/test/sign-in',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
        expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      }
    });
  });

  describe('security headers', () => {
    it('are on API responses, errors included, with a CSP that allows nothing', async () => {
      for (const url of ['/api/healthz', '/api/no-such-route']) {
        const { headers } = await api.app.inject({ method: 'GET', url });
        expect(headers['content-security-policy']).toBe(
          "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
        );
        expect(headers['x-content-type-options']).toBe('nosniff');
        expect(headers['x-frame-options']).toBe('DENY');
        expect(headers['referrer-policy']).toBe('no-referrer');
        expect(headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(headers['cross-origin-resource-policy']).toBe('same-origin');
        expect(headers['x-powered-by']).toBeUndefined();
        // HSTS is for production only (see registerProtection).
        expect(headers['strict-transport-security']).toBeUndefined();
      }
    });

    it('leave the API docs their own policy', async () => {
      const docs = await api.app.inject({ method: 'GET', url: '/api/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toMatch(/text\/html/);
      expect(docs.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(docs.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  describe('rateLimit', () => {
    it('refuses an address after perIp.max calls, with Retry-After', async () => {
      const ip = nextIp();
      for (let i = 0; i < 4; i++) {
        expect((await signIn(api.app, `user${i}@example.test`, ip)).statusCode).toBe(200);
      }
      const refused = await signIn(api.app, 'user9@example.test', ip);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ status: 429, code: 'rate_limited' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(59);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another address is not affected.
      expect((await signIn(api.app, 'user9@example.test', nextIp())).statusCode).toBe(200);
    });

    it('refuses an account after perAccount.max calls, from whatever address, case-insensitively', async () => {
      const email = `ana-${randomUUID().slice(0, 8)}@example.test`;
      expect((await signIn(api.app, email, nextIp())).statusCode).toBe(200);
      expect((await signIn(api.app, email.toUpperCase(), nextIp())).statusCode).toBe(200);
      const refused = await signIn(api.app, ` ${email} `, nextIp());
      expect(refused.statusCode).toBe(429);
      expect(refused.json().code).toBe('rate_limited');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(890);
      expect(retryAfter).toBeLessThanOrEqual(900);
      // Other accounts, and calls without an account, still go through.
      expect(
        (await signIn(api.app, `bo-${randomUUID().slice(0, 8)}@example.test`, nextIp())).statusCode,
      ).toBe(200);
      expect((await signIn(api.app, undefined, nextIp())).statusCode).toBe(200);

      const metrics = (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/e3d_rate_limited_total\{limit="test-sign-in",scope="account"\} [1-9]/);
    });

    it('counts an IPv6 client by its /64', async () => {
      expect(ipBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
      expect(ipBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
      expect(ipBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
      expect(ipBucket('::1')).toBe('0:0:0:0::/64');
      expect(ipBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
      expect(ipBucket('192.0.2.1')).toBe('192.0.2.1');
      const net = `2001:db8:${(++ipCounter).toString(16)}:1`;
      for (let i = 1; i <= 4; i++) {
        expect((await signIn(api.app, undefined, `${net}::${i}`)).statusCode).toBe(200);
      }
      expect((await signIn(api.app, undefined, `${net}:ffff:ffff:ffff:ffff`)).statusCode).toBe(429);
      expect(
        (await signIn(api.app, undefined, `2001:db8:${(++ipCounter).toString(16)}:1::1`)).statusCode,
      ).toBe(200);
    });

    it(
      backend === 'embedded'
        ? 'counts in each process on the embedded default'
        : 'counts together across API instances sharing Redis',
      async () => {
        const prefix = `e3d-test:${randomUUID()}:`;
        const a = await startInstance(backing, prefix);
        const b = await startInstance(backing, prefix);
        try {
          const ip = nextIp();
          expect((await signIn(a.app, undefined, ip)).statusCode).toBe(200);
          expect((await signIn(b.app, undefined, ip)).statusCode).toBe(200);
          expect((await signIn(a.app, undefined, ip)).statusCode).toBe(200);
          expect((await signIn(b.app, undefined, ip)).statusCode).toBe(200);
          // The fifth call from the address: over the limit of 4 only if the two count together.
          const fifth = await signIn(b.app, undefined, ip);
          expect(fifth.statusCode).toBe(backend === 'embedded' ? 200 : 429);
          expect(a.runtime.rateLimitStore.name).toBe(backend === 'embedded' ? 'memory' : 'redis');
        } finally {
          await a.close();
          await b.close();
        }
      },
    );
  });
});

describe('API docs in a browser', () => {
  let backing: Backing;
  let api: Instance;
  beforeAll(async () => {
    backing = await openBacking('embedded');
    api = await startInstance(backing, `e3d-test:${randomUUID()}:`);
  });
  afterAll(async () => {
    await api?.close();
    await backing?.close();
  });

  it.skipIf(!existsSync(CHROMIUM_PATH))('render under their CSP with no violation', async () => {
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    const address = api.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        const text = message.text();
        // swagger-ui's bundle sets one inline style its own policy does not list; cosmetic.
        if (/Content Security Policy/i.test(text) && !text.startsWith('Applying inline style')) {
          violations.push(text);
        }
      });
      // The document's content is the catalog and accounts tests' concern; this one is about
      // the policy, so the UI gets a small spec (still fetched under the page's CSP).
      await page.route('**/api/docs/json', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            openapi: '3.1.0',
            info: { title: 'ecommerce-3d API', version: '0.1.0' },
            paths: {
              '/api/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'ok' } } } },
            },
          }),
        }),
      );
      await page.goto(`http://127.0.0.1:${port}/api/docs`);
      await page.waitForSelector('.swagger-ui .opblock', { timeout: 20_000 });
      expect(await page.textContent('.swagger-ui .info .title')).toContain('ecommerce-3d API');
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
