import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BackendName, startTestApi, type TestApi } from '../../api/test/support.ts';

/**
 * The storefront as shoppers get it, for browser tests and Lighthouse: the API on a real port
 * (embedded PGlite or Postgres + Redis, demo catalog processed) and the storefront's production
 * build (`next build`, then `next start`) pointed at it. Builds go to `.next-test`, once per
 * source change, so a developer's `next dev` is left alone.
 *
 * In front of both sits a small proxy on `webUrl`, playing the ALB's part: `/api/*` and
 * `/assets/*` go to the API, everything else to Next. (next.config's rewrites cannot do it here:
 * `next build` writes their destination into the routes manifest, so a cached build would keep
 * sending the browser's API calls to whatever API URL was set when it was built.)
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

/** Files that do not change what `next build` produces. */
const NOT_SOURCES = new Set([
  'node_modules',
  '.next',
  DIST_DIR,
  'test',
  'tsconfig.tsbuildinfo',
  'next-env.d.ts',
]);

/**
 * A digest of everything the build reads: paths and contents, not times (the decoder copy and
 * `tsc --incremental` touch files without changing them).
 */
function sourceDigest(dir = APP_DIR, hash = createHash('sha256')): string {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (NOT_SOURCES.has(entry.name) || entry.name.startsWith('.next')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceDigest(full, hash);
    else if (entry.isFile())
      hash.update(path.relative(APP_DIR, full)).update('\0').update(readFileSync(full));
  }
  return dir === APP_DIR ? hash.digest('hex') : '';
}

/** One build at a time across processes (a test run and the Lighthouse script may start together). */
async function withBuildLock<T>(body: () => Promise<T>): Promise<T> {
  const lock = path.join(
    tmpdir(),
    `e3d-storefront-build-${createHash('sha256').update(APP_DIR).digest('hex').slice(0, 12)}.lock`,
  );
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is left over from a killed run.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another build`);
      else await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
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
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} failed:\n${out}`)),
    );
  });
}

/**
 * `next build` adds its distDir's generated types to tsconfig.json's include list and rewrites
 * the file in its own layout. Neither belongs in the diff: when the only change is those
 * entries, the file is put back byte for byte (an edit made meanwhile by hand is left alone).
 */
function restoreTsconfig(original: string) {
  const file = path.join(APP_DIR, 'tsconfig.json');
  const now = readFileSync(file, 'utf8');
  if (now === original) return;
  const dist = new RegExp(`^${DIST_DIR.replace('.', '\\.')}/`);
  try {
    const parsed = JSON.parse(now) as { include?: string[] };
    parsed.include = parsed.include?.filter((entry) => !dist.test(entry));
    if (JSON.stringify(parsed) === JSON.stringify(JSON.parse(original))) writeFileSync(file, original);
  } catch {
    // not JSON (a comment, or half-written by an editor): leave it
  }
}

/** `next build` into DIST_DIR unless the build there was made from the same sources. */
export function buildStorefront(): Promise<{ built: boolean; output: string }> {
  return withBuildLock(buildIfChanged);
}

async function buildIfChanged(): Promise<{ built: boolean; output: string }> {
  // The decoders in public/ are copied from three.js first, so they count in the digest.
  await run([path.join(APP_DIR, 'scripts', 'copy-3d-assets.mjs')], {});
  const digest = sourceDigest();
  const marker = path.join(APP_DIR, DIST_DIR, 'SOURCE_DIGEST');
  const built = path.join(APP_DIR, DIST_DIR, 'BUILD_ID');
  if (existsSync(built) && existsSync(marker) && readFileSync(marker, 'utf8') === digest) {
    return { built: false, output: '' };
  }
  // No API answers during the build (as in CI and the Docker build): a page that needs one at
  // build time fails here instead of baking in the data of whatever runs on localhost:4000.
  const tsconfig = readFileSync(path.join(APP_DIR, 'tsconfig.json'), 'utf8');
  let output: string;
  try {
    output = await run([NEXT_BIN, 'build'], {
      NODE_ENV: 'production',
      NEXT_DIST_DIR: DIST_DIR,
      E3D_API_URL: 'http://127.0.0.1:9',
    });
  } finally {
    restoreTsconfig(tsconfig);
  }
  writeFileSync(marker, digest);
  return { built: true, output };
}

export interface Stack {
  api: TestApi;
  apiUrl: string;
  webUrl: string;
  /** What `next start` printed so far (server-side errors of the pages). */
  log(): string;
  close(): Promise<void>;
}

/**
 * Where each running storefront keeps its copy of the build: inside the app (Next wants its
 * distDir there, and the server chunks resolve `next` and `react` from its node_modules), out of
 * git's and biome's sight, and outside DIST_DIR, which the next `next build` wipes.
 */
const RUNS_DIR = path.join('node_modules', '.cache', 'e3d-storefront-runs');

/**
 * A copy of the build for one `next start`. Next keeps its ISR pages (server/route-cache) and
 * fetch cache on disk in the dist folder: shared, a storefront would serve pages rendered from
 * another run's database (other variant ids) to this one. The copy leaves out the caches, the
 * standalone output and the compiler's cache; it is ~20 MB and removed when the stack closes.
 */
function privateCopyOfBuild(id: string): string {
  const runs = path.join(APP_DIR, RUNS_DIR);
  mkdirSync(runs, { recursive: true });
  // Copies left behind by killed runs.
  for (const entry of readdirSync(runs)) {
    const full = path.join(runs, entry);
    if (Date.now() - statSync(full).mtimeMs > 6 * 3600_000) rmSync(full, { recursive: true, force: true });
  }
  const source = path.join(APP_DIR, DIST_DIR);
  const routeCache = path.join(source, 'server', 'route-cache');
  const target = path.join(RUNS_DIR, id);
  for (const entry of readdirSync(source)) {
    if (['cache', 'standalone'].includes(entry)) continue;
    cpSync(path.join(source, entry), path.join(APP_DIR, target, entry), {
      recursive: true,
      filter: (from) => from !== routeCache,
    });
  }
  return target;
}

/** The ALB's routing: `/api/*` and `/assets/*` to the API, the rest to the storefront. */
function startFrontProxy(port: number, apiPort: number, nextPort: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const target = /^\/(api|assets)(\/|\?|$)/.test(url) ? apiPort : nextPort;
    const upstream = http.request(
      { host: '127.0.0.1', port: target, method: req.method, path: url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.once('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** API + built storefront on free ports, behind one origin (`webUrl`). */
export async function startStack(backend: BackendName = 'embedded'): Promise<Stack> {
  const apiPort = await freePort();
  const nextPort = await freePort();
  const webPort = await freePort();
  // Built (when the sources changed) and copied under the lock: no other build runs meanwhile.
  const runDir = await withBuildLock(async () => {
    await buildIfChanged();
    return privateCopyOfBuild(`${process.pid}-${webPort}`);
  });
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = await startTestApi(backend, {
    env: {
      API_PORT: String(apiPort),
      HOST: '127.0.0.1',
      // Asset URLs point at the storefront's origin: the page asks no other host.
      PUBLIC_API_URL: webUrl,
      STOREFRONT_URL: webUrl,
      STOREFRONT_REVALIDATE_URL: `${webUrl}/revalidate`,
      REVALIDATE_SECRET,
    },
  });
  await api.app.listen({ host: '127.0.0.1', port: apiPort });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(nextPort)], {
    cwd: APP_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: runDir,
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
  const proxy = await startFrontProxy(webPort, apiPort, nextPort);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${webUrl}/`);
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      proxy.close();
      await api.close();
      rmSync(path.join(APP_DIR, runDir), { recursive: true, force: true });
      throw new Error(`the storefront did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    api,
    apiUrl,
    webUrl,
    log: () => log,
    async close() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      child.kill('SIGTERM');
      await exited;
      await api.close();
      rmSync(path.join(APP_DIR, runDir), { recursive: true, force: true });
    },
  };
}
