import { type Config, loadConfig } from '@e3d/config';
import type { Database } from '@e3d/db';
import type { ObjectStore } from '@e3d/storage';
import { startTracing } from '@e3d/telemetry';
import { buildApp } from './app.ts';
import { openRuntime } from './runtime.ts';

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

/** Starts the API and stops it gracefully on SIGTERM/SIGINT: no new connections, requests
 * in flight finish (up to SHUTDOWN_GRACE_MS), then pools close. */
export async function startApi(
  config: Config,
  options: {
    handleSignals?: boolean;
    /** Shared with an in-process worker (the embedded quick start); not closed by the API. */
    db?: Database;
    store?: ObjectStore;
    onStop?: () => Promise<void>;
  } = {},
): Promise<RunningApi> {
  // Before anything that makes requests or queries: off (nothing loaded) unless OTEL_* ask.
  const tracing = await startTracing(config, { serviceName: 'e3d-api' });
  let runtime: Awaited<ReturnType<typeof openRuntime>>;
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    runtime = await openRuntime(config, { db: options.db, store: options.store });
    app = await buildApp(runtime);
    await app.listen({ host: config.HOST, port: config.API_PORT });
  } catch (error) {
    await tracing.shutdown();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.API_PORT;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const force = setTimeout(() => {
        app.log.error('shutdown grace period over; exiting with requests still open');
        process.exit(1);
      }, config.SHUTDOWN_GRACE_MS);
      force.unref();
      await app.close();
      await runtime.close();
      // What the caller shares with the API (the embedded quick start's worker and database).
      await options.onStop?.();
      // Exports the spans still buffered (the last requests, the shutdown's own queries).
      await tracing
        .shutdown()
        .catch((error: unknown) => app.log.warn({ err: error }, 'flushing traces failed'));
      clearTimeout(force);
    })();
    return stopping;
  };
  if (options.handleSignals !== false) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        app.log.info({ signal }, 'shutting down');
        stop().then(
          () => process.exit(0),
          (error) => {
            app.log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  }
  return { url: `http://localhost:${port}`, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await startApi(loadConfig());
  } catch (error) {
    console.error(`api: ${(error as Error).message}`);
    process.exit(1);
  }
}
