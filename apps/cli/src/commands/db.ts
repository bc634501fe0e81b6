import { migrate } from '@e3d/db';
import type { Command } from 'commander';
import { config, describeDatabase, openDb, openStore } from '../context.ts';

export function registerDbCommands(program: Command) {
  const db = program.command('db').description('database schema and data');

  db.command('migrate')
    .description('apply pending migrations (forward-only, idempotent, safe to run concurrently)')
    .action(async () => {
      const cfg = config();
      const database = await openDb(cfg, 'e3d-migrate');
      try {
        console.log(`migrating ${describeDatabase(cfg)}`);
        const result = await migrate(database, { log: (line) => console.log(`  ${line}`) });
        console.log(
          result.applied.length === 0
            ? `up to date (${result.alreadyApplied} migrations applied before)`
            : `applied ${result.applied.length} migration(s)`,
        );
      } finally {
        await database.close();
      }
    });

  db.command('seed')
    .description('load the demo catalog (skipped when products exist unless --force)')
    .option('--force', 'seed even when the catalog already has products')
    .action(async (options: { force?: boolean }) => {
      const cfg = config();
      const database = await openDb(cfg, 'e3d-seed');
      try {
        await migrate(database);
        // Loaded here: the seed brings the whole media pipeline, which `db migrate` does not need.
        const { seedAndProcessDemoCatalog } = await import('@e3d/catalog');
        const result = await seedAndProcessDemoCatalog(database, await openStore(cfg), {
          force: options.force === true,
          log: (line) => console.log(`  ${line}`),
        });
        console.log(
          result.seeded
            ? `seeded ${result.products} products, ${result.variants} variants, ${result.categories} categories, ${result.media} media`
            : 'catalog already has products; nothing seeded (use --force to add the demo catalog anyway)',
        );
      } finally {
        await database.close();
      }
    });
}
