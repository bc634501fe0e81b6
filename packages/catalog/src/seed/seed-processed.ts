import type { OptimizePresetName } from '@e3d/assets';
import type { Database } from '@e3d/db';
import { mediaPipeline, processPendingMedia } from '@e3d/media';
import type { ObjectStore } from '@e3d/storage';
import { type SeedDemoCatalogOptions, type SeedDemoCatalogResult, seedDemoCatalog } from './seed.ts';

/** Seeds, then runs the media pipeline here instead of waiting for a worker (CLI, tests). */
export async function seedAndProcessDemoCatalog(
  db: Database,
  store: ObjectStore,
  options: SeedDemoCatalogOptions & {
    /** Tests of the API (not of the optimizer) pass `high`, the fastest preset. */
    preset?: OptimizePresetName;
  } = {},
): Promise<SeedDemoCatalogResult & { processed: number; failed: number }> {
  const result = await seedDemoCatalog(db, store, options);
  const pipeline = mediaPipeline({ db, store });
  const drained = await processPendingMedia({ ...pipeline, preset: options.preset ?? pipeline.preset });
  options.log?.(`seed: processed ${drained.succeeded} media`);
  return { ...result, processed: drained.succeeded, failed: drained.failed };
}
