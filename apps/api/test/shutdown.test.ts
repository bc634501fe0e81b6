import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedAndProcessDemoCatalog } from '@e3d/catalog';
import { migrate, openDatabase } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createPostgresDatabase } from './support.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

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

  it('on SIGTERM stops accepting, finishes requests in flight, closes pools and exits 0', async () => {
    const port = await freePort();
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    for (let i = 0; i < 300 && !(await request(port, '/api/healthz')).status; i++) await sleep(100);
    expect((await request(port, '/api/healthz')).status, output).toBe(200);

    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE products IN ACCESS EXCLUSIVE MODE');
    const inFlight = Array.from({ length: 5 }, () => request(port, '/api/products?limit=10'));
    // Wait until all five queries are blocked inside the server.
    for (let i = 0; i < 100; i++) {
      const { rows } = await locker.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'e3d-api' AND wait_event_type = 'Lock'",
      );
      if (rows[0].n === 5) break;
      await sleep(50);
    }

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await sleep(500);
    expect(child.exitCode, 'must wait for requests in flight').toBeNull();
    expect((await request(port, '/api/healthz')).error, 'must stop accepting').toMatch(/ECONNREFUSED/);

    await locker.query('COMMIT');
    await locker.end();
    const results = await Promise.all(inFlight);
    const code = await exited;

    expect(results.map((r) => r.status ?? r.error)).toEqual([200, 200, 200, 200, 200]);
    expect(results.every((r) => r.at > signalledAt + 500)).toBe(true);
    expect(code, output).toBe(0);
    expect(output).toContain('shutting down');
  });
});
