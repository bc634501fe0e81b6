import { startWorkerService } from '@e3d/worker';
import { startTestApi, type TestApi } from './api.ts';
import { ADMIN_APP, type RunningApp, reserveOrigin, STOREFRONT_APP, startNextApp } from './next-app.ts';
import { freePort } from './ports.ts';
import { BACKENDS, type BackendName } from './postgres.ts';

/**
 * The shop as its users get it, for browser tests and Lighthouse: the API on a real port
 * (embedded PGlite or Postgres + Redis, demo catalog processed) and the storefront's production
 * build pointed at it; on request the admin's production build beside it and a worker (media
 * processing, emails, storefront revalidation), as the quick start runs them.
 *
 * In front of each app sits a small proxy on its origin, playing the ALB's part: `/api/*` and
 * `/assets/*` go to the API, everything else to Next.
 */
export const REVALIDATE_SECRET = 'storefront-test-revalidate-secret-0123456789';

/** The backends browser tests run on: BACKENDS, narrowed by E2E_BACKENDS (e.g. `embedded` for a quicker local run). */
export const E2E_BACKENDS: BackendName[] = process.env.E2E_BACKENDS
  ? BACKENDS.filter((b) => process.env.E2E_BACKENDS?.split(',').includes(b))
  : BACKENDS;

export interface Stack {
  api: TestApi;
  apiUrl: string;
  webUrl: string;
  /** The admin's origin, when started with `{ admin: true }`. */
  adminUrl: string | null;
  /** What the storefront's `next start` printed so far (server-side errors of the pages). */
  log(): string;
  adminLog(): string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Also build and start the admin app. */
  admin?: boolean;
  /** Run a worker in-process (uploads get processed, revalidation reaches the storefront). */
  worker?: boolean;
  /** More settings for the API and both apps alike (e.g. S3_BUCKET, CLOUDFRONT_URL). */
  env?: Record<string, string>;
}

/** API + built storefront (and admin) on free ports, each app behind its own origin. */
export async function startStack(
  backend: BackendName = 'embedded',
  options: StackOptions = {},
): Promise<Stack> {
  const apiPort = await freePort();
  const web = await reserveOrigin();
  const admin = options.admin ? await reserveOrigin() : null;
  const env = {
    API_PORT: String(apiPort),
    HOST: '127.0.0.1',
    // Asset URLs point at the storefront's origin: the page asks no other host.
    PUBLIC_API_URL: web.url,
    STOREFRONT_URL: web.url,
    STOREFRONT_REVALIDATE_URL: `${web.url}/revalidate`,
    REVALIDATE_SECRET,
    ...(admin ? { ADMIN_URL: admin.url } : {}),
    ...options.env,
  };
  // The apps read the API's asset and upload settings too: their CSP names those hosts.
  const shared = { PUBLIC_API_URL: web.url, ...options.env };
  const api = await startTestApi(backend, { env });
  await api.app.listen({ host: '127.0.0.1', port: apiPort });
  const started: RunningApp[] = [];
  const worker = options.worker
    ? await startWorkerService(api.config, { db: api.db, store: api.runtime.store })
    : null;
  const close = async () => {
    await Promise.all(started.map((app) => app.stop()));
    await worker?.stop();
    await api.close();
  };
  try {
    const storefront = await startNextApp(STOREFRONT_APP, {
      origin: web,
      apiPort,
      env: { STOREFRONT_URL: web.url, REVALIDATE_SECRET, ...shared },
    });
    started.push(storefront);
    const adminApp = admin
      ? await startNextApp(ADMIN_APP, {
          origin: admin,
          apiPort,
          env: { ADMIN_URL: admin.url, STOREFRONT_URL: web.url, ...shared },
        })
      : null;
    if (adminApp) started.push(adminApp);
    return {
      api,
      apiUrl: `http://127.0.0.1:${apiPort}`,
      webUrl: web.url,
      adminUrl: adminApp?.url ?? null,
      log: storefront.log,
      adminLog: () => adminApp?.log() ?? '',
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
