import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@e3d/config';
import { type Database, migrate, openDatabase } from '@e3d/db';
import { openStoreFromConfig } from '@e3d/storage';
import { BACKENDS, TEST_REDIS_URL } from '@e3d/testing/postgres';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { rateLimit } from '../src/plugins/protection.ts';
import {
  type BackoffPolicy,
  backoffDelayMs,
  createMemoryRateLimitStore,
  createRedisRateLimitStore,
  type RateLimitStore,
} from '../src/plugins/rate-limit-store.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

describe('memory rate-limit store', () => {
  it('counts hits in a fixed window, then starts again', async () => {
    let now = 1_000_000;
    const store = createMemoryRateLimitStore({ now: () => now });
    expect(await store.hit('k', 60_000)).toEqual({ count: 1, resetMs: 60_000 });
    now += 10_000;
    expect(await store.hit('k', 60_000)).toEqual({ count: 2, resetMs: 50_000 });
    expect(await store.hit('other', 60_000)).toEqual({ count: 1, resetMs: 60_000 });
    now += 50_000;
    expect(await store.hit('k', 60_000)).toEqual({ count: 1, resetMs: 60_000 });
  });

  it('backs off exponentially after the free attempts, capped, and forgets', async () => {
    let now = 1_000_000;
    const store = createMemoryRateLimitStore({ now: () => now });
    const policy: BackoffPolicy = { free: 3, firstDelayMs: 1_000, maxDelayMs: 8_000, forgetMs: 60_000 };
    for (let i = 0; i < 2; i++)
      expect(await store.attempt('k', policy)).toEqual({ allowed: true, retryMs: 0 });
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect((await store.attempt('k', policy)).allowed).toBe(true);
      const refused = await store.attempt('k', policy);
      expect(refused.allowed).toBe(false);
      waits.push(refused.retryMs);
      now += refused.retryMs;
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    // A success forgets the attempts and the wait.
    await store.forget('k');
    for (let i = 0; i < 2; i++) expect((await store.attempt('k', policy)).allowed).toBe(true);
    // And so does time: a minute after the last attempt, the count starts again.
    now += 60_000;
    for (let i = 0; i < 2; i++) expect((await store.attempt('k', policy)).allowed).toBe(true);
    expect((await store.attempt('k', policy)).allowed).toBe(true);
    expect((await store.attempt('k', policy)).allowed).toBe(false);
  });

  it('takes a hit back, never below zero', async () => {
    const store = createMemoryRateLimitStore();
    await store.hit('k', 60_000);
    await store.hit('k', 60_000);
    await store.unhit('k');
    await store.unhit('k');
    await store.unhit('k');
    await store.unhit('never-hit');
    expect((await store.hit('k', 60_000)).count).toBe(1);
    expect((await store.hit('never-hit', 60_000)).count).toBe(1);
  });

  it('stays bounded under a flood of addresses', async () => {
    const store = createMemoryRateLimitStore({ maxKeys: 100 });
    for (let i = 0; i < 1_000; i++) await store.hit(`ip:${i}`, 60_000);
    // The most recent keys are kept.
    expect((await store.hit('ip:999', 60_000)).count).toBe(2);
    expect((await store.hit('ip:0', 60_000)).count).toBe(1);
  });
});

/** A TCP proxy in front of Redis, to take Redis away and bring it back. */
async function startRedisProxy(): Promise<{ url: string; stop(): Promise<void>; start(): Promise<void> }> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const start = async () => {
    server = createServer((client) => {
      const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => {});
        s.on('close', () => {
          sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    start,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server?.close(resolve));
    },
  };
}

async function eventually(probe: () => Promise<boolean>, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('waits 1, 2, 4 … times the first delay from the free-th attempt on, capped', () => {
  const policy: BackoffPolicy = { free: 5, firstDelayMs: 1_000, maxDelayMs: 900_000, forgetMs: 1 };
  expect([1, 4, 5, 6, 7, 14, 15, 1_000].map((n) => backoffDelayMs(n, policy))).toEqual([
    0, 0, 1_000, 2_000, 4_000, 512_000, 900_000, 900_000,
  ]);
});

describe.skipIf(!BACKENDS.includes('postgres+redis'))('redis rate-limit store', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(() => {
    redis?.disconnect();
  });

  it('shares counts between stores with the same prefix, and keys expire with the window', async () => {
    const prefix = `e3d-test:${randomUUID()}:rl:`;
    const a = await createRedisRateLimitStore(TEST_REDIS_URL, { keyPrefix: prefix });
    const b = await createRedisRateLimitStore(TEST_REDIS_URL, { keyPrefix: prefix });
    const other = await createRedisRateLimitStore(TEST_REDIS_URL, {
      keyPrefix: `e3d-test:${randomUUID()}:rl:`,
    });
    try {
      expect((await a.hit('sign-in:ip:1', 30_000)).count).toBe(1);
      const second = await b.hit('sign-in:ip:1', 30_000);
      expect(second.count).toBe(2);
      expect(second.resetMs).toBeGreaterThan(29_000);
      expect(second.resetMs).toBeLessThanOrEqual(30_000);
      expect(second.fallback).toBeUndefined();
      expect((await other.hit('sign-in:ip:1', 30_000)).count).toBe(1);
      const ttl = await redis.pttl(`${prefix}sign-in:ip:1`);
      expect(ttl).toBeGreaterThan(29_000);

      // A key that lost its expiry (never left to count forever) gets the window again.
      await redis.persist(`${prefix}sign-in:ip:1`);
      expect((await a.hit('sign-in:ip:1', 30_000)).resetMs).toBe(30_000);
      expect(await redis.pttl(`${prefix}sign-in:ip:1`)).toBeGreaterThan(29_000);
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  });

  it('shares backoff between stores, and lets parallel attempts through no more than the free ones', async () => {
    const prefix = `e3d-test:${randomUUID()}:rl:`;
    const a = await createRedisRateLimitStore(TEST_REDIS_URL, { keyPrefix: prefix });
    const b = await createRedisRateLimitStore(TEST_REDIS_URL, { keyPrefix: prefix });
    const policy: BackoffPolicy = { free: 4, firstDelayMs: 30_000, maxDelayMs: 60_000, forgetMs: 600_000 };
    try {
      const stores: RateLimitStore[] = [a, b];
      const turns = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (stores[i % 2] as RateLimitStore).attempt('pair', policy)),
      );
      expect(turns.filter((t) => t.allowed)).toHaveLength(4);
      const refused = turns.filter((t) => !t.allowed);
      expect(refused).toHaveLength(16);
      for (const t of refused) {
        expect(t.retryMs).toBeGreaterThan(25_000);
        expect(t.retryMs).toBeLessThanOrEqual(30_000);
      }
      expect(await redis.pttl(`${prefix}{pair}:n`)).toBeGreaterThan(590_000);
      await b.forget('pair');
      expect(await redis.exists(`${prefix}{pair}:n`, `${prefix}{pair}:wait`)).toBe(0);
      expect((await a.attempt('pair', policy)).allowed).toBe(true);

      await a.hit('ip', 60_000);
      await b.unhit('ip');
      await b.unhit('ip');
      expect(await redis.get(`${prefix}ip`)).toBe('0');
      expect((await a.hit('ip', 60_000)).count).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('counts in this process while Redis is away (with a metric), and in Redis once it is back', async () => {
    const proxy = await startRedisProxy();
    const registry = new Registry();
    const store = await createRedisRateLimitStore(proxy.url, {
      keyPrefix: `e3d-test:${randomUUID()}:rl:`,
      registry,
    });
    try {
      expect(await store.hit('k', 60_000)).toMatchObject({ count: 1 });
      await proxy.stop();
      const during = [await store.hit('k', 60_000), await store.hit('k', 60_000)];
      expect(during.map((h) => h.count)).toEqual([1, 2]);
      expect(during.every((h) => h.fallback instanceof Error)).toBe(true);
      const policy: BackoffPolicy = { free: 1, firstDelayMs: 60_000, maxDelayMs: 60_000, forgetMs: 60_000 };
      expect(await store.attempt('pair', policy)).toMatchObject({
        allowed: true,
        fallback: expect.any(Error),
      });
      expect(await store.attempt('pair', policy)).toMatchObject({
        allowed: false,
        fallback: expect.any(Error),
      });
      await store.forget('pair');
      expect((await store.attempt('pair', policy)).allowed).toBe(true);
      const text = await registry.metrics();
      expect(text).toMatch(/e3d_rate_limit_store_errors_total 6/);
      expect(text).toMatch(/e3d_rate_limit_store_up 0/);

      await proxy.start();
      await eventually(async () => (await store.hit('probe', 60_000)).fallback === undefined);
      expect(await store.hit('k', 60_000)).toMatchObject({ count: 2 });
      expect(await registry.metrics()).toMatch(/e3d_rate_limit_store_up 1/);
    } finally {
      await store.close();
      await proxy.stop();
    }
  });

  describe('behind the API', () => {
    let proxy: Awaited<ReturnType<typeof startRedisProxy>>;
    let db: Database;
    let runtime: Runtime;
    let app: FastifyInstance;
    let dataDir: string;

    beforeAll(async () => {
      proxy = await startRedisProxy();
      dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-rl-'));
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: dataDir,
        REDIS_URL: proxy.url,
      });
      db = await openDatabase({});
      await migrate(db);
      runtime = await openRuntime(config, {
        db,
        store: await openStoreFromConfig(config),
        redisKeyPrefix: `e3d-test:${randomUUID()}:`,
      });
      app = await buildApp(runtime);
      app.post(
        '/api/test/limited',
        { preHandler: rateLimit({ name: 'test-outage', perIp: { max: 2, windowSeconds: 60 } }) },
        async () => ({ ok: true }),
      );
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await runtime?.close();
      await db?.close();
      await proxy?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('never fails open when Redis goes away', async () => {
      await proxy.stop();
      const call = () => app.inject({ method: 'POST', url: '/api/test/limited', remoteAddress: '192.0.2.7' });
      expect((await call()).statusCode).toBe(200);
      expect((await call()).statusCode).toBe(200);
      const refused = await call();
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/e3d_rate_limit_store_errors_total [3-9]/);
      expect(metrics).toMatch(/e3d_rate_limit_store_up 0/);
    });
  });
});
