import type { OptimizePresetName } from '@e3d/assets';
import type { Database } from '@e3d/db';
import { mediaPipeline, processPendingMedia } from '@e3d/media';
import type { ObjectStore } from '@e3d/storage';
import { FIXTURE_CATALOG } from './fixture-catalog.ts';
import {
  DEMO_CATALOG,
  type DemoCatalog,
  type SeedDemoCatalogOptions,
  type SeedDemoCatalogResult,
  seedCatalog,
} from './seed.ts';

/** The catalogs a test or the CLI can seed by name. */
export const SEED_CATALOGS = { demo: DEMO_CATALOG, fixture: FIXTURE_CATALOG } as const satisfies Record<
  string,
  DemoCatalog
>;
export type SeedCatalogName = keyof typeof SEED_CATALOGS;

export interface SeedAndProcessOptions extends SeedDemoCatalogOptions {
  /** `demo` (default): the demo shop; `fixture`: the tests' small catalog (FIXTURE_CATALOG). */
  catalog?: SeedCatalogName;
  /** Tests of the API (not of the optimizer) pass `high`, the fastest preset. */
  preset?: OptimizePresetName;
}

/** Seeds, then runs the media pipeline here instead of waiting for a worker (CLI, tests). */
export async function seedAndProcessDemoCatalog(
  db: Database,
  store: ObjectStore,
  options: SeedAndProcessOptions = {},
): Promise<SeedDemoCatalogResult & { processed: number; failed: number }> {
  const result = await seedCatalog(db, store, SEED_CATALOGS[options.catalog ?? 'demo'], options);
  const pipeline = mediaPipeline({ db, store });
  const drained = await processPendingMedia({ ...pipeline, preset: options.preset ?? pipeline.preset });
  options.log?.(`seed: processed ${drained.succeeded} media`);
  return { ...result, processed: drained.succeeded, failed: drained.failed };
}
