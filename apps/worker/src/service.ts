import path from 'node:path';
import { MEDIA_QUEUE, mediaJobHandler, mediaPipeline } from '@e3d/catalog';
import type { Config } from '@e3d/config';
import { type Database, openDatabase } from '@e3d/db';
import { type RunningWorker, startWorker } from '@e3d/jobs';
import { createCdnInvalidator, type ObjectStore, openStoreFromConfig } from '@e3d/storage';
import pino from 'pino';

export interface WorkerService {
  worker: RunningWorker;
  stop(): Promise<void>;
}

/**
 * The background worker: media processing (and, as later issues add them, emails and
 * webhooks). Shares a database handle when given one: the embedded quick start runs API and
 * worker in one process, since PGlite's data folder belongs to a single process.
 */
export async function startWorkerService(
  config: Config,
  shared: { db?: Database; store?: ObjectStore } = {},
): Promise<WorkerService> {
  const logger = pino({ level: config.LOG_LEVEL, base: { service: 'worker' } });
  const db =
    shared.db ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      pgliteDir: path.join(config.dataDir, 'pglite'),
      poolMax: config.WORKER_CONCURRENCY + 2,
      applicationName: 'e3d-worker',
    }));
  const store = shared.store ?? (await openStoreFromConfig(config));
  const cdn = createCdnInvalidator({
    distributionId: config.CLOUDFRONT_DISTRIBUTION_ID,
    clientConfig: { region: config.AWS_REGION },
    onError: (error) => logger.error({ err: error }, 'CloudFront invalidation failed'),
  });
  const pipeline = mediaPipeline({ db, store, cdn, log: (event) => logger.info(event) }, config);
  const worker = await startWorker(db, {
    handlers: { [MEDIA_QUEUE]: mediaJobHandler(pipeline) },
    concurrency: config.WORKER_CONCURRENCY,
    log: (event) => (event.error ? logger.warn(event) : logger.info(event)),
  });
  logger.info({ worker: worker.id, queues: [MEDIA_QUEUE] }, 'worker started');
  return {
    worker,
    async stop() {
      await worker.stop();
      await cdn.close();
      if (!shared.db) await db.close();
    },
  };
}
