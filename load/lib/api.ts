import { type ServiceProcess, startService } from './children.ts';
import type { Defer } from './cleanup.ts';
import { queryOnce } from './databases.ts';

export interface ApiOptions {
  databaseUrl: string;
  dataDir: string;
  port: number;
  /** Extra settings: REDIS_URL for the cached API, CACHE_ENABLED=false for the cold one. */
  settings?: Record<string, string>;
}

/** `apps/api/src/main.ts` in a child process, stopped (SIGTERM) when the section ends. */
export async function startApi(name: string, options: ApiOptions, defer: Defer): Promise<ServiceProcess> {
  const api = await startService({
    name,
    script: 'apps/api/src/main.ts',
    port: options.port,
    readyPath: '/api/healthz',
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      API_PORT: String(options.port),
      DATA_DIR: options.dataDir,
      DATABASE_URL: options.databaseUrl,
      ...options.settings,
    },
  });
  defer(() => api.stop());
  return api;
}

export interface Probe {
  body: Buffer;
  headers: Headers;
}

/** One GET that must answer 200; the error carries the body (a problem+json explains itself). */
export async function probe(url: string): Promise<Probe> {
  const response = await fetch(url);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(`GET ${url} answered ${response.status}: ${body.toString().slice(0, 500)}`);
  }
  return { body, headers: response.headers };
}

/** A "warm" number is only honest if the API really answers from its cache. */
export async function expectCacheHit(url: string): Promise<void> {
  await probe(url);
  const cache = (await probe(url)).headers.get('x-cache');
  if (cache !== 'HIT')
    throw new Error(`GET ${url}: expected a cache HIT on the second request, got ${cache}`);
}

/**
 * Redis keys carry the fixed `e3d:` prefix and a shared catalog generation, so a previous run
 * (or a developer's API on the same Redis) may have left bytes from another database under
 * the very keys this run reads. A NOTIFY makes the API bump the generation; we then wait
 * until the product it serves is the one in this run's database.
 */
export async function startFromFreshCache(
  databaseUrl: string,
  apiUrl: string,
  handle: string,
): Promise<void> {
  const [row] = await queryOnce<{ id: string }>(databaseUrl, 'SELECT id FROM products WHERE handle = $1', [
    handle,
  ]);
  if (!row) throw new Error(`product ${handle} is not in the database`);
  await queryOnce(databaseUrl, "NOTIFY e3d_catalog, 'bench'");
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const served = JSON.parse((await probe(`${apiUrl}/api/products/${handle}`)).body.toString()) as {
      id: string;
    };
    if (served.id === row.id) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${apiUrl} kept serving a cached ${handle} from another database`);
}
