import { createOwner, DEMO_OWNER_EMAIL, startApi } from '@e3d/api';
import { loadRevalidateSecret, seedDemoCatalog } from '@e3d/catalog';
import { type Database, migrate, rows, sql } from '@e3d/db';
import { startWorkerService } from '@e3d/worker';
import type { Command } from 'commander';
import { config, describeDatabase, openDb, openStore } from '../context.ts';
import { startWebApp, type WebApp } from './web-app.ts';

export function registerServeCommands(program: Command) {
  program
    .command('api')
    .description('run the API (production: migrations run as their own task first)')
    .action(async () => {
      await startApi(config());
    });

  program
    .command('dev')
    .description('the quick start: migrate, seed the demo catalog on first run, start every service')
    .option('--no-web', 'start the API and worker only (no storefront, no admin)')
    .action(async (options: { web: boolean }) => {
      const base = config();
      // The storefront caches pages until the API tells it what changed.
      const cfg = {
        ...base,
        STOREFRONT_REVALIDATE_URL:
          base.STOREFRONT_REVALIDATE_URL ??
          (options.web ? `${base.STOREFRONT_URL.replace(/\/$/, '')}/revalidate` : undefined),
      };
      // One database handle for API and worker: PGlite's folder belongs to one process.
      const database = await openDb(cfg, 'e3d-dev');
      const store = await openStore(cfg);
      console.log(`database: ${describeDatabase(cfg)}`);
      await migrate(database, { log: (line) => console.log(`  ${line}`) });
      const seeded = await seedDemoCatalog(database, store, { log: (line) => console.log(`  ${line}`) });
      const owner = await createOwner(database, { email: DEMO_OWNER_EMAIL, name: 'Demo owner' });
      const worker = await startWorkerService(
        { ...cfg, LOG_LEVEL: quiet(cfg.LOG_LEVEL) },
        { db: database, store },
      );
      const api = await startApi(
        { ...cfg, LOG_LEVEL: quiet(cfg.LOG_LEVEL) },
        {
          db: database,
          store,
          onStop: async () => {
            await Promise.all([storefront?.stop(), admin?.stop()]);
            await worker.stop();
            await database.close();
          },
        },
      );
      let storefront: WebApp | null = null;
      if (options.web) {
        storefront = await startWebApp({
          name: 'storefront',
          folder: 'apps/web-client',
          url: cfg.STOREFRONT_URL,
          prepare: ['scripts/copy-3d-assets.mjs'],
          env: {
            E3D_API_URL: api.url,
            STOREFRONT_URL: cfg.STOREFRONT_URL,
            SHOP_NAME: cfg.SHOP_NAME,
            REVALIDATE_SECRET: await loadRevalidateSecret(cfg),
          },
        });
      }
      let admin: WebApp | null = null;
      if (options.web) {
        admin = await startWebApp({
          name: 'admin',
          folder: 'apps/admin',
          url: cfg.ADMIN_URL,
          prepare: ['../web-client/scripts/copy-3d-assets.mjs', 'public'],
          env: {
            E3D_API_URL: api.url,
            ADMIN_URL: cfg.ADMIN_URL,
            STOREFRONT_URL: cfg.STOREFRONT_URL,
          },
        });
      }
      const lines = [
        '',
        'ecommerce-3d is running',
        ...(storefront ? [`  Storefront    ${storefront.url}`] : []),
        ...(admin ? [`  Admin         ${admin.url}`] : []),
        `  API           ${api.url}/api/products`,
        `  API docs      ${api.url}/api/docs`,
        `  OpenAPI       ${api.url}/api/openapi.json`,
        `  Health        ${api.url}/api/readyz`,
        `  Metrics       ${api.url}/metrics`,
        owner.created
          ? `  Admin sign-in ${owner.email} / ${owner.password}   (shown once; only its hash is kept)`
          : `  Admin sign-in ${owner.email} (exists; its password was shown on the first run)`,
        '',
        '  Test cards    4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined, 4000 0027 6000 3184 asks for 3-D Secure',
        '',
        'Press Ctrl+C to stop.',
      ];
      console.log(lines.join('\n'));
      if (seeded.seeded) await reportMediaProgress(database);
    });
}

/** The quick start's console stays readable: warnings and errors only, unless asked. */
const quiet = (level: string) => (level === 'info' ? 'warn' : level) as 'warn';

/** Prints the demo media's way through the pipeline until every item is settled. */
async function reportMediaProgress(db: Database): Promise<void> {
  let last = '';
  for (;;) {
    const [row] = await rows<{ total: number; ready: number; failed: number }>(
      db,
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'ready')::int AS ready,
                 count(*) FILTER (WHERE status = 'failed')::int AS failed FROM product_media`,
    );
    if (!row) return;
    const line = `media: ${row.ready}/${row.total} ready${row.failed ? `, ${row.failed} failed` : ''}`;
    if (line !== last) console.log(line);
    last = line;
    if (row.ready + row.failed >= row.total) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
