import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedAndProcessDemoCatalog } from '@e3d/catalog';
import { loadConfig } from '@e3d/config';
import { migrate, openDatabase } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { freePort } from '@e3d/testing/ports';
import { BACKENDS, createPostgresDatabase, TEST_REDIS_URL } from '@e3d/testing/postgres';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';

async function eventually<T>(
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const metric = (text: string, pattern: RegExp) => Number(text.match(pattern)?.[1] ?? 'NaN');

describe.each(BACKENDS)('catalog cache on %s', (backend) => {
  let api: TestApi;
  const get = (url: string) => api.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    api = await startTestApi(backend);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('misses once, then answers from the cache', async () => {
    const url = '/api/products/orb-pendant-lamp';
    const first = await get(url);
    const second = await get(url);
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    expect(second.headers['x-cache']).toBe('HIT');
    expect(second.body).toBe(first.body);
    // With Redis, a warm response comes from the near cache in this process; the first
    // lookup missed both layers.
    const hitLayer = backend === 'embedded' ? 'memory' : 'near';
    const missLayer = backend === 'embedded' ? 'memory' : 'redis';
    const text = (await get('/metrics')).body;
    const lookups = (layer: string, result: string) =>
      metric(text, new RegExp(`e3d_cache_lookups_total\\{cache="${layer}",result="${result}"\\} (\\d+)`));
    expect(lookups(hitLayer, 'hit')).toBeGreaterThan(0);
    expect(lookups(missLayer, 'miss')).toBeGreaterThan(0);
  });

  it('treats the same filters in another order as the same entry', async () => {
    await get('/api/products?inStock=true&has3d=true');
    expect((await get('/api/products?has3d=true&inStock=true')).headers['x-cache']).toBe('HIT');
  });

  it('drops cached responses when a product changes, whatever changed it', async () => {
    const url = '/api/products/twin-cube-bookends';
    await get(url);
    expect((await get(url)).headers['x-cache']).toBe('HIT');
    await get('/api/products?limit=100');

    // A write outside the API (as psql or an import would make): the NOTIFY trigger reaches us.
    await api.db.query("UPDATE products SET title = 'Twin Cube Bookends (Restocked)' WHERE handle = $1", [
      'twin-cube-bookends',
    ]);
    const fresh = await eventually(
      () => get(url),
      (r) => r.json().title === 'Twin Cube Bookends (Restocked)',
    );
    expect(fresh.json().title).toBe('Twin Cube Bookends (Restocked)');
    const listed = (await get('/api/products?limit=100'))
      .json()
      .items.find((p: { handle: string }) => p.handle === 'twin-cube-bookends');
    expect(listed.title).toBe('Twin Cube Bookends (Restocked)');

    // A price change on a variant reaches the card through the rollup trigger and the cache.
    await api.db.query(
      "UPDATE product_variants SET price_amount = 123 WHERE product_id = (SELECT id FROM products WHERE handle = 'twin-cube-bookends')",
    );
    const repriced = await eventually(
      () => get('/api/products?limit=100'),
      (r) =>
        r
          .json()
          .items.some(
            (p: { handle: string; priceRange: { min: { amount: number } } }) =>
              p.handle === 'twin-cube-bookends' && p.priceRange.min.amount === 123,
          ),
    );
    expect(
      repriced.json().items.find((p: { handle: string }) => p.handle === 'twin-cube-bookends').priceRange.min
        .amount,
    ).toBe(123);
  });

  it('does not cache a miss: a product published later appears', async () => {
    expect((await get('/api/products/prototype-desk-lamp')).statusCode).toBe(404);
    await api.db.query("UPDATE products SET status = 'published' WHERE handle = 'prototype-desk-lamp'");
    const published = await eventually(
      () => get('/api/products/prototype-desk-lamp'),
      (r) => r.statusCode === 200,
    );
    expect(published.statusCode).toBe(200);
    await api.db.query("UPDATE products SET status = 'draft' WHERE handle = 'prototype-desk-lamp'");
    const hidden = await eventually(
      () => get('/api/products/prototype-desk-lamp'),
      (r) => r.statusCode === 404,
    );
    expect(hidden.statusCode).toBe(404);
  });
});

describe.runIf(BACKENDS.includes('postgres+redis'))('Redis cache shared by API tasks', () => {
  let drop: () => Promise<void>;
  let databaseUrl: string;
  const prefix = `e3d-test:${randomUUID()}:`;
  const tasks: { app: FastifyInstance; runtime: Runtime }[] = [];

  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    databaseUrl = created.url;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-shared-'));
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
    });
    const setup = await openDatabase({ databaseUrl });
    await migrate(setup);
    await seedAndProcessDemoCatalog(
      setup,
      createLocalStore({ root: path.join(dataDir, 'storage'), publicBaseUrl: 'http://x' }),
      { preset: 'high' },
    );
    await setup.close();
    for (let i = 0; i < 2; i++) {
      const runtime = await openRuntime(config, { redisKeyPrefix: prefix });
      tasks.push({ runtime, app: await buildApp(runtime) });
    }
  });
  afterAll(async () => {
    for (const task of tasks) {
      await task.app.close();
      await task.runtime.close();
    }
    await drop?.();
  });

  it('a response cached by one task is a hit in another, and one change invalidates both', async () => {
    const [a, b] = tasks as [(typeof tasks)[0], (typeof tasks)[0]];
    const url = '/api/products/geometric-desk-set';
    const fromA = await a.app.inject({ method: 'GET', url });
    expect(fromA.statusCode, fromA.body).toBe(200);
    expect(fromA.headers['x-cache']).toBe('MISS');
    expect((await b.app.inject({ method: 'GET', url })).headers['x-cache']).toBe('HIT');

    await a.runtime.db.query(
      "UPDATE products SET title = 'Shapes, Renamed' WHERE handle = 'geometric-desk-set'",
    );
    for (const task of [a, b]) {
      const seen = await eventually(
        () => task.app.inject({ method: 'GET', url }),
        (r) => r.json().title === 'Shapes, Renamed',
      );
      expect(seen.json().title).toBe('Shapes, Renamed');
    }
  });
});

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(child);
    });
  });
}

describe.runIf(BACKENDS.includes('postgres+redis'))('when Redis goes away', () => {
  let api: TestApi;
  let redis: ChildProcess;
  let port: number;
  const get = (url: string) => api.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    api = await startTestApi('postgres+redis', { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    redis?.kill('SIGKILL');
    await api?.close();
  });

  it('keeps answering from the database, reports it in readyz and metrics, and recovers', async () => {
    expect((await get('/api/products/sci-fi-helmet-replica')).headers['x-cache']).toBe('MISS');
    expect((await get('/api/products/sci-fi-helmet-replica')).headers['x-cache']).toBe('HIT');

    const exited = new Promise((r) => redis.once('exit', r));
    redis.kill('SIGKILL');
    await exited;

    // What this task had warmed is still served from its near cache; the rest comes from Postgres.
    expect((await get('/api/products/sci-fi-helmet-replica')).statusCode).toBe(200);
    for (const url of ['/api/products/orb-pendant-lamp', '/api/products?limit=5', '/api/categories']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['x-cache']).toBe('MISS');
    }
    // A change while Redis is away still reaches this task's near cache.
    await api.db.query(
      "UPDATE products SET title = 'Helmet, Redis Down' WHERE handle = 'sci-fi-helmet-replica'",
    );
    const changed = await eventually(
      () => get('/api/products/sci-fi-helmet-replica'),
      (r) => r.json().title === 'Helmet, Redis Down',
    );
    expect(changed.json().title).toBe('Helmet, Redis Down');
    const ready = await get('/api/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database).toBe('ok');
    expect(ready.json().checks.redis).toMatch(/^failed: /);
    const text = (await get('/metrics')).body;
    expect(metric(text, /e3d_cache_backend_up\{cache="redis"\} (\d+)/)).toBe(0);
    expect(metric(text, /e3d_cache_errors_total\{cache="redis",operation="get"\} (\d+)/)).toBeGreaterThan(0);

    redis = await startRedis(port);
    const recovered = await eventually(
      () => get('/api/readyz'),
      (r) => r.statusCode === 200,
      10_000,
    );
    expect(recovered.statusCode).toBe(200);
    await get('/api/products/sci-fi-helmet-replica');
    expect((await get('/api/products/sci-fi-helmet-replica')).headers['x-cache']).toBe('HIT');
  });
});

describe('settings that are present but wrong stop start-up, naming the setting', () => {
  it('an unreachable DATABASE_URL', async () => {
    await expect(openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/nothing' })).rejects.toThrow(
      /^DATABASE_URL: cannot connect/,
    );
  });

  it.runIf(BACKENDS.includes('postgres+redis'))('an unreachable REDIS_URL', async () => {
    const created = await createPostgresDatabase();
    try {
      const config = loadConfig({
        LOG_LEVEL: 'silent',
        DATABASE_URL: created.url,
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      await expect(openRuntime(config)).rejects.toThrow(/^REDIS_URL: cannot connect/);
    } finally {
      await created.drop();
    }
  });
});
