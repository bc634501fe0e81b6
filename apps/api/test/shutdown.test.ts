import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedAndProcessDemoCatalog } from '@e3d/catalog';
import { migrate, openDatabase } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import { freePort } from '@e3d/testing/ports';
import { BACKENDS, createPostgresDatabase } from '@e3d/testing/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** One request on its own connection; resolves with the status, or the socket error. */
function request(port: number, url: string): Promise<{ status?: number; error?: string; at: number }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, at: Date.now() }));
    });
    req.on('error', (error) => resolve({ error: error.message, at: Date.now() }));
  });
}

/** A request on a keep-alive socket of `agent`: its response, and when that socket closes. */
function keepAliveRequest(port: number, url: string, agent: http.Agent) {
  let socketClosed!: Promise<number>;
  const response = new Promise<{ status?: number; connection?: string; error?: string }>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
    });
    socketClosed = new Promise((closed) =>
      req.once('socket', (socket) => socket.once('close', () => closed(Date.now()))),
    );
    req.on('error', (error) => resolve({ error: error.message }));
  });
  return { response, socketClosed };
}

/** `promise`, or undefined once `ms` have passed: a bound on waiting, not a measurement. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Real Postgres lets the test hold requests inside the server deterministically: a table
// lock makes their queries wait, so they are provably in flight when SIGTERM lands.
describe.runIf(BACKENDS.includes('postgres+redis'))('graceful shutdown', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let dataDir: string;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-shutdown-'));
    const db = await openDatabase({ databaseUrl: database.url });
    await migrate(db);
    await seedAndProcessDemoCatalog(
      db,
      createLocalStore({ root: path.join(dataDir, 'storage'), publicBaseUrl: 'http://x' }),
      { preset: 'high' },
    );
    await db.close();
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM stops accepting, finishes requests in flight, closes keep-alive connections as they go idle, closes pools and exits 0', async () => {
    const port = await freePort();
    // Long enough that exiting 0 soon after the last response can only be the drain, never the deadline.
    const graceMs = 30_000;
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        API_PORT: String(port),
        HOST: '127.0.0.1',
        CACHE_ENABLED: 'false',
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_MS: String(graceMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    for (let i = 0; i < 300 && !(await request(port, '/api/healthz')).status; i++) await sleep(100);
    expect((await request(port, '/api/healthz')).status, output).toBe(200);

    // What a load balancer or browser holds: keep-alive sockets, one idle and one with a request in flight.
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const busyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const warmUp = keepAliveRequest(port, '/api/healthz', idleAgent);
    expect((await warmUp.response).connection).toBe('keep-alive');

    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    const inFlight = Array.from({ length: 5 }, () => request(port, '/api/products?limit=10'));
    const keptAlive = keepAliveRequest(port, '/api/products?limit=5', busyAgent);
    // Wait until all six queries are blocked inside the server.
    for (let i = 0; i < 100; i++) {
      const { rows } = await locker.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'e3d-api' AND wait_event_type = 'Lock'",
      );
      if (rows[0].n === 6) break;
      await sleep(50);
    }

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await sleep(500);
    expect(child.exitCode, 'must wait for requests in flight').toBeNull();
    expect((await request(port, '/api/healthz')).error, 'must stop accepting').toMatch(/ECONNREFUSED/);
    // Closed at once, while the requests are still held: the lock has not been released yet.
    expect(
      await within(warmUp.socketClosed, 5_000),
      'the idle keep-alive socket is closed at once',
    ).toBeDefined();

    const releasedAt = Date.now();
    await locker.query('COMMIT');
    await locker.end();
    const results = await Promise.all(inFlight);
    const kept = await keptAlive.response;
    const code = await exited;
    const exitedAt = Date.now();

    expect(results.map((r) => r.status ?? r.error)).toEqual([200, 200, 200, 200, 200]);
    expect(results.every((r) => r.at > signalledAt + 500)).toBe(true);
    expect(kept.status, kept.error).toBe(200);
    expect(kept.connection, 'an in-flight keep-alive response tells the client to go').toBe('close');
    expect(await within(keptAlive.socketClosed, 5_000), 'and its socket is closed after it').toBeDefined();
    expect(code, output).toBe(0);
    expect(exitedAt - releasedAt, 'exits once drained, well inside the grace').toBeLessThan(graceMs / 2);
    expect(output).toContain('shutting down');
    idleAgent.destroy();
    busyAgent.destroy();
  });
});
