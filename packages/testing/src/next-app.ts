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
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.ts';

/**
 * One of the Next.js apps (storefront, admin) as its users get it, for browser tests and
 * Lighthouse: its production build (`next build` into `.next-test`, once per source change, so a
 * developer's `next dev` is left alone), started with `next start` from a private copy.
 */
export interface NextApp {
  name: string;
  dir: string;
  /** A Node script and its arguments run in `dir` before building (e.g. copying 3D decoders). */
  prepare: string[];
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APPS_DIR = path.join(REPO_ROOT, 'apps');

export const STOREFRONT_APP: NextApp = {
  name: 'storefront',
  dir: path.join(APPS_DIR, 'web-client'),
  prepare: ['scripts/copy-3d-assets.mjs'],
};

export const ADMIN_APP: NextApp = {
  name: 'admin',
  dir: path.join(APPS_DIR, 'admin'),
  prepare: ['../web-client/scripts/copy-3d-assets.mjs', 'public'],
};

export const DIST_DIR = '.next-test';
const nextBin = (app: NextApp) => path.join(app.dir, 'node_modules', 'next', 'dist', 'bin', 'next');

/** Files that do not change what `next build` produces. */
const NOT_SOURCES = new Set([
  'node_modules',
  '.next',
  DIST_DIR,
  'test',
  'tsconfig.tsbuildinfo',
  'next-env.d.ts',
]);

/** Shared workspace packages the apps compile in (transpilePackages). */
const SHARED_SOURCES = [path.join(REPO_ROOT, 'packages', 'sdk', 'src')];

/**
 * A digest of everything the build reads: paths and contents, not times (the decoder copy and
 * `tsc --incremental` touch files without changing them).
 */
function sourceDigest(root: string, dir = root, hash = createHash('sha256')): typeof hash {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (NOT_SOURCES.has(entry.name) || entry.name.startsWith('.next')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceDigest(root, full, hash);
    else if (entry.isFile()) hash.update(path.relative(root, full)).update('\0').update(readFileSync(full));
  }
  return hash;
}

function appDigest(app: NextApp): string {
  const hash = sourceDigest(app.dir);
  for (const shared of SHARED_SOURCES) sourceDigest(shared, shared, hash);
  return hash.digest('hex');
}

/** One build of an app at a time across processes (a test run and Lighthouse may start together). */
export async function withBuildLock<T>(app: NextApp, body: () => Promise<T>): Promise<T> {
  const lock = path.join(
    tmpdir(),
    `e3d-${app.name}-build-${createHash('sha256').update(app.dir).digest('hex').slice(0, 12)}.lock`,
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

function run(args: string[], env: Record<string, string>, cwd: string): Promise<string> {
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
function restoreTsconfig(app: NextApp, original: string) {
  const file = path.join(app.dir, 'tsconfig.json');
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
export function buildApp(app: NextApp): Promise<{ built: boolean; output: string }> {
  return withBuildLock(app, () => buildIfChanged(app));
}

async function buildIfChanged(app: NextApp): Promise<{ built: boolean; output: string }> {
  // The decoders in public/ are copied from three.js first, so they count in the digest.
  await run(app.prepare, {}, app.dir);
  const digest = appDigest(app);
  const marker = path.join(app.dir, DIST_DIR, 'SOURCE_DIGEST');
  const built = path.join(app.dir, DIST_DIR, 'BUILD_ID');
  if (existsSync(built) && existsSync(marker) && readFileSync(marker, 'utf8') === digest) {
    return { built: false, output: '' };
  }
  // No API answers during the build (as in CI and the Docker build): a page that needs one at
  // build time fails here instead of baking in the data of whatever runs on localhost:4000.
  const tsconfig = readFileSync(path.join(app.dir, 'tsconfig.json'), 'utf8');
  let output: string;
  try {
    output = await run(
      [nextBin(app), 'build'],
      { NODE_ENV: 'production', NEXT_DIST_DIR: DIST_DIR, E3D_API_URL: 'http://127.0.0.1:9' },
      app.dir,
    );
  } finally {
    restoreTsconfig(app, tsconfig);
  }
  writeFileSync(marker, digest);
  return { built: true, output };
}

/**
 * Where each running app keeps its copy of the build: inside the app (Next wants its distDir
 * there, and the server chunks resolve `next` and `react` from its node_modules), out of git's
 * and biome's sight, and outside DIST_DIR, which the next `next build` wipes.
 */
const RUNS_DIR = path.join('node_modules', '.cache', 'e3d-next-runs');

/**
 * A copy of the build for one `next start`. Next keeps its ISR pages (server/route-cache) and
 * fetch cache on disk in the dist folder: shared, an app would serve pages rendered from
 * another run's database (other variant ids) to this one. The copy leaves out the caches, the
 * standalone output and the compiler's cache; it is ~20 MB and removed when the app stops.
 */
function privateCopyOfBuild(app: NextApp, id: string): string {
  const runs = path.join(app.dir, RUNS_DIR);
  mkdirSync(runs, { recursive: true });
  // Copies left behind by killed runs.
  for (const entry of readdirSync(runs)) {
    const full = path.join(runs, entry);
    if (Date.now() - statSync(full).mtimeMs > 6 * 3600_000) rmSync(full, { recursive: true, force: true });
  }
  const source = path.join(app.dir, DIST_DIR);
  const routeCache = path.join(source, 'server', 'route-cache');
  const target = path.join(RUNS_DIR, id);
  for (const entry of readdirSync(source)) {
    if (['cache', 'standalone'].includes(entry)) continue;
    cpSync(path.join(source, entry), path.join(app.dir, target, entry), {
      recursive: true,
      filter: (from) => from !== routeCache,
    });
  }
  return target;
}

/** The ALB's routing: `/api/*` and `/assets/*` to the API, the rest to the app. */
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

export interface RunningApp {
  url: string;
  /** What `next start` printed so far (server-side errors of the pages). */
  log(): string;
  stop(): Promise<void>;
}

/** A port for the app's origin, known before the API starts (the API needs it for CORS). */
export async function reserveOrigin(): Promise<{ port: number; url: string }> {
  const port = await freePort();
  return { port, url: `http://127.0.0.1:${port}` };
}

/**
 * Builds the app if its sources changed and starts it behind a proxy on `origin` that sends
 * `/api/*` and `/assets/*` to the API. (next.config's rewrites cannot do it here: `next build`
 * writes their destination into the routes manifest, so a cached build would keep sending the
 * browser's API calls to whatever API URL was set when it was built.)
 */
export async function startNextApp(
  app: NextApp,
  options: { origin: { port: number; url: string }; apiPort: number; env: Record<string, string> },
): Promise<RunningApp> {
  const nextPort = await freePort();
  // Built (when the sources changed) and copied under the lock: no other build runs meanwhile.
  const runDir = await withBuildLock(app, async () => {
    await buildIfChanged(app);
    return privateCopyOfBuild(app, `${process.pid}-${options.origin.port}`);
  });
  const child: ChildProcess = spawn(process.execPath, [nextBin(app), 'start', '--port', String(nextPort)], {
    cwd: app.dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: runDir,
      NEXT_TELEMETRY_DISABLED: '1',
      E3D_API_URL: `http://127.0.0.1:${options.apiPort}`,
      ...options.env,
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
  const proxy = await startFrontProxy(options.origin.port, options.apiPort, nextPort);
  const stop = async () => {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(path.join(app.dir, runDir), { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`${options.origin.url}/`);
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the ${app.name} did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url: options.origin.url, log: () => log, stop };
}
