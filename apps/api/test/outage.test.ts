import { connect, createServer, type Server, type Socket } from 'node:net';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS, createPostgresDatabase } from '@e3d/testing/postgres';
import { shopper } from '@e3d/testing/shopper';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A TCP hop between the API and Postgres that the test can cut the way a failover or a network
 * partition does: every open connection dropped, new ones refused until it is restored.
 */
async function startCuttableProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  };
  const listen = (at: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(at, '127.0.0.1', () => resolve(server));
    });
  let server: Server | undefined = await listen(0);
  const port = (server.address() as { port: number }).port;
  const cut = async () => {
    const closed = new Promise((resolve) => server?.close(resolve));
    server = undefined;
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port,
    cut,
    async restore() {
      server ??= await listen(port);
    },
    close: cut,
  };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(BACKENDS.includes('postgres+redis'))('when the database goes away', () => {
  let api: TestApi;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: Awaited<ReturnType<typeof startCuttableProxy>>;
  let admin: pg.Client;
  let databaseName: string;
  let variantId: string;
  const get = (url: string) => api.app.inject({ method: 'GET', url });

  const expectUnavailable = (response: Awaited<ReturnType<typeof get>>, what: string) => {
    expect(response.statusCode, `${what}: ${response.body}`).toBe(503);
    expect(response.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    expect(Number(response.headers['retry-after']), what).toBeGreaterThan(0);
    expect(response.json(), what).toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(response.body, 'nothing internal reaches the client').not.toMatch(
      /ECONNREFUSED|127\.0\.0\.1|SELECT/,
    );
  };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    const direct = new URL(database.url);
    databaseName = direct.pathname.slice(1);
    proxy = await startCuttableProxy({ host: direct.hostname, port: Number(direct.port) || 5432 });
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    api = await startTestApi('postgres+redis', { env: { DATABASE_URL: viaProxy.toString() } });
    const maintenance = new URL(database.url);
    maintenance.pathname = '/postgres';
    admin = new pg.Client({ connectionString: maintenance.toString() });
    await admin.connect();
    const [variant] = await api.db.query<{ id: string }>('SELECT id FROM product_variants LIMIT 1');
    variantId = variant?.id ?? '';
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`).catch(() => {});
    await admin?.end();
    await proxy?.restore();
    await api?.close();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 database_unavailable with Retry-After while it is unreachable, readyz names it, healthz stays 200, and it recovers by itself', async () => {
    expect((await get('/api/products?limit=2')).statusCode).toBe(200);
    const buyer = shopper(api);
    expect((await buyer.add(variantId)).status).toBe(200);

    await proxy.cut();

    expectUnavailable(await get('/api/products?limit=3'), 'an uncached read');
    expectUnavailable(await get('/api/products/no-such-product'), 'a product page');
    const add = await api.app.inject({
      method: 'POST',
      url: '/api/cart/lines',
      headers: buyer.cartId ? { cookie: `e3d_cart=${buyer.cartId}` } : {},
      payload: { variantId, quantity: 1 },
    });
    expectUnavailable(add, 'a cart write (a transaction)');

    const live = await get('/api/healthz');
    expect(live.statusCode, 'liveness does not depend on the database').toBe(200);
    const ready = await get('/api/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().status).toBe('unavailable');
    expect(ready.json().checks.database).toMatch(/^failed: /);
    expect(ready.json().checks.redis).toBe('ok');

    await proxy.restore();

    const back = await eventually(
      () => get('/api/products?limit=3'),
      (r) => r.statusCode === 200,
    );
    expect(back.statusCode, back.body).toBe(200);
    expect((await get('/api/readyz')).statusCode).toBe(200);
    const added = await buyer.add(variantId);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.lines[0].quantity).toBe(2);

    // The catalog's LISTEN session came back too: a change made now still reaches the cache.
    const page = '/api/products/sci-fi-helmet-replica';
    await get(page);
    expect((await get(page)).headers['x-cache']).toBe('HIT');
    await api.db.query(
      "UPDATE products SET title = 'Helmet After Outage' WHERE handle = 'sci-fi-helmet-replica'",
    );
    const changed = await eventually(
      () => get(page),
      (r) => r.json().title === 'Helmet After Outage',
    );
    expect(changed.json().title).toBe('Helmet After Outage');
  });

  it('answers 503 when its sessions are terminated mid-query and new ones refused, then recovers', async () => {
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    const lockerPid = (await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const held = get('/api/products?limit=4');
    for (let i = 0; i < 100; i++) {
      const { rows } = await locker.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (rows[0].n >= 1) break;
      await sleep(50);
    }
    // An operator (or RDS) shutting the database: sessions end with 57P01, and the database
    // refuses new ones ("not currently accepting connections").
    await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS false`);
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2',
      [databaseName, lockerPid],
    );
    expectUnavailable(await held, 'a query cut off by admin shutdown');
    expectUnavailable(await get('/api/products?limit=5'), 'a read while connections are refused');
    expect((await get('/api/readyz')).statusCode).toBe(503);
    await locker.query('COMMIT');

    await admin.query(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
    await locker.end();

    const back = await eventually(
      () => get('/api/products?limit=5'),
      (r) => r.statusCode === 200,
    );
    expect(back.statusCode, back.body).toBe(200);
    expect((await get('/api/readyz')).statusCode).toBe(200);
  });
});
