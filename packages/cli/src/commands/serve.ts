import { startApi } from '@e3d/api';
import { migrate, seedDemoCatalog } from '@e3d/db';
import type { Command } from 'commander';
import { config, describeDatabase, openDb, openStore } from '../context.ts';

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
    .action(async () => {
      const cfg = config();
      const database = await openDb(cfg, 'e3d-dev');
      try {
        console.log(`database: ${describeDatabase(cfg)}`);
        await migrate(database, { log: (line) => console.log(`  ${line}`) });
        const seeded = await seedDemoCatalog(database, openStore(cfg), {
          log: (line) => console.log(`  ${line}`),
        });
        if (seeded.seeded) console.log(`seeded the demo catalog: ${seeded.products} products`);
      } finally {
        // PGlite's data folder belongs to one process at a time: the API opens it next.
        await database.close();
      }
      const api = await startApi({ ...cfg, LOG_LEVEL: cfg.LOG_LEVEL === 'info' ? 'warn' : cfg.LOG_LEVEL });
      const lines = [
        '',
        'ecommerce-3d is running',
        `  API           ${api.url}/api/products`,
        `  API docs      ${api.url}/api/docs`,
        `  OpenAPI       ${api.url}/api/openapi.json`,
        `  Health        ${api.url}/api/readyz`,
        `  Metrics       ${api.url}/metrics`,
        '',
        'Press Ctrl+C to stop.',
      ];
      console.log(lines.join('\n'));
    });
}
