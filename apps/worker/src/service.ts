import path from 'node:path';
import { loadJwtSecret } from '@e3d/auth';
import {
  loadRevalidateSecret,
  REVALIDATE_QUEUE,
  revalidateJobHandler,
  StorefrontRevalidation,
} from '@e3d/catalog';
import {
  commerceContextFromConfig,
  EXPIRE_INTERVAL_MS,
  expireLapsedOrders,
  WEBHOOK_QUEUE,
  webhookJobHandler,
} from '@e3d/commerce';
import type { Config } from '@e3d/config';
import { type Database, openDatabase } from '@e3d/db';
import { type Job, type JobContext, type JobHandler, type RunningWorker, startWorker } from '@e3d/jobs';
import { createMailerFromConfig, MAIL_QUEUE, mailJobHandler } from '@e3d/mail';
import { MEDIA_QUEUE, mediaJobHandler, mediaPipeline } from '@e3d/media';
import { createPaymentProviderFromConfig } from '@e3d/payments';
import { createCdnInvalidator, type ObjectStore, openStoreFromConfig } from '@e3d/storage';
import { SpanKind, startTracing, traceLogFields, tracingActive, withSpan } from '@e3d/telemetry';
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
  const tracing = await startTracing(config, { serviceName: 'e3d-worker' });
  const logger = pino({
    level: config.LOG_LEVEL,
    base: { service: 'worker' },
    // Lines logged inside a job's span carry its trace_id and span_id.
    ...(tracing.enabled ? { mixin: traceLogFields } : {}),
  });
  const mailer = createMailerFromConfig(config);
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
  const pipeline = mediaPipeline(
    {
      db,
      store,
      cdn,
      revalidation: StorefrontRevalidation.fromConfig(config),
      log: (event) => logger.info(event),
    },
    config,
  );
  const worker = await startWorker(db, {
    handlers: traceJobs({
      [MEDIA_QUEUE]: mediaJobHandler(pipeline),
      [MAIL_QUEUE]: mailJobHandler(mailer),
      [WEBHOOK_QUEUE]: webhookJobHandler(db),
      [REVALIDATE_QUEUE]: revalidateJobHandler({
        url: config.STOREFRONT_REVALIDATE_URL,
        secret: config.STOREFRONT_REVALIDATE_URL ? await loadRevalidateSecret(config) : '',
      }),
    }),
    concurrency: config.WORKER_CONCURRENCY,
    log: (event) => (event.error ? logger.warn(event) : logger.info(event)),
  });
  logger.info(
    {
      worker: worker.id,
      queues: [MEDIA_QUEUE, MAIL_QUEUE, WEBHOOK_QUEUE, REVALIDATE_QUEUE],
      mail: mailer.driver,
    },
    'worker started',
  );
  // Lapsed checkouts free their stock on their own; this keeps their orders and promotion counts
  // true, and asks the payment provider first, so money taken by a checkout that died is kept
  // (the order completes) or given back — never lost with a canceled order.
  const commerce = commerceContextFromConfig(config, {
    payments: await createPaymentProviderFromConfig({ ...config, dataDir: config.dataDir }),
    jwtSecret: await loadJwtSecret(config),
  });
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep = setInterval(() => {
    sweeping = expireLapsedOrders(db, commerce, {
      onError: (orderId, error) =>
        logger.warn(
          { err: error, orderId },
          'a lapsed order was left pending: its payment could not be checked',
        ),
    })
      .then((swept) => {
        if (swept.canceled + swept.settled + swept.deferred > 0) logger.info(swept, 'swept lapsed orders');
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'expiring lapsed orders failed'));
  }, EXPIRE_INTERVAL_MS);
  sweep.unref();
  return {
    worker,
    async stop() {
      clearInterval(sweep);
      await sweeping;
      await worker.stop();
      await cdn.close();
      await mailer.close();
      if (!shared.db) await db.close();
      await tracing.shutdown();
    },
  };
}

/** With tracing on, each job runs in a span of its own: its queries and HTTP calls are its children. */
export function traceJobs(handlers: Record<string, JobHandler>): Record<string, JobHandler> {
  if (!tracingActive()) return handlers;
  return Object.fromEntries(
    Object.entries(handlers).map(([queue, handler]) => [
      queue,
      (job: Job, context?: JobContext) =>
        withSpan(
          `job ${queue}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: {
              'messaging.system': 'e3d-jobs',
              'messaging.operation.type': 'process',
              'messaging.destination.name': queue,
              'messaging.message.id': String(job.id),
              'e3d.job.attempt': job.attempts,
              'e3d.job.max_attempts': job.maxAttempts,
            },
          },
          () => handler(job, context),
        ),
    ]),
  );
}
