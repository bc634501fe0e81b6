import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendName, startTestApi, type TestApi } from '../../api/test/support.ts';

/**
 * The storefront as shoppers get it, for browser tests and Lighthouse: the API on a real port
 * (embedded PGlite or Postgres + Redis, demo catalog processed) and the storefront's production
 * build (`next build`, then `next start`) pointed at it. Builds go to `.next-test`, once per
 * source change, so a developer's `next dev` is left alone.
 */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
export const DIST_DIR = '.next-test';
const NEXT_BIN = path.join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next');
export const REVALIDATE_SECRET = 'storefront-test-revalidate-secret-0123456789';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.next', DIST_DIR, 'test'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function run(args: string[], env: Record<string, string>, cwd = APP_DIR): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} failed:\n${out}`))));
  });
}

/** `next build` into DIST_DIR unless the build there is newer than every source file. */
export async function buildStorefront(): Promise<{ built: boolean; output: string }> {
  const marker = path.join(APP_DIR, DIST_DIR, 'BUILD_ID');
  if (existsSync(marker) && statSync(marker).mtimeMs > newestSource(APP_DIR)) return { built: false, output: '' };
  await run([path.join(APP_DIR, 'scripts', 'copy-3d-assets.mjs')], {});
  const output = await run([NEXT_BIN, 'build'], { NEXT_DIST_DIR: DIST_DIR });
  return { built: true, output };
}

export interface Stack {
  api: TestApi;
  apiUrl: string;
  webUrl: string;
  close(): Promise<void>;
}

/** API + built storefront on free ports. */
export async function startStack(backend: BackendName = 'embedded'): Promise<Stack> {
  await buildStorefront();
  const apiPort = await freePort();
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = await startTestApi(backend, {
    env: {
      API_PORT: String(apiPort),
      HOST: '127.0.0.1',
      // Asset URLs point at the storefront, which proxies /assets: the page asks no other host.
      PUBLIC_API_URL: webUrl,
      STOREFRONT_URL: webUrl,
      STOREFRONT_REVALIDATE_URL: `${webUrl}/revalidate`,
      REVALIDATE_SECRET,
    },
  });
  await api.app.listen({ host: '127.0.0.1', port: apiPort });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(webPort)], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
      E3D_API_URL: apiUrl,
      STOREFRONT_URL: webUrl,
      REVALIDATE_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (c: Buffer) => {
    log += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    log += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${webUrl}/`);
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await api.close();
      throw new Error(`the storefront did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    api,
    apiUrl,
    webUrl,
    async close() {
      child.kill('SIGTERM');
      await exited;
      await api.close();
    },
  };
}
