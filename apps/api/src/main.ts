import { type Config, loadConfig } from '@e3d/config';
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
  options: { handleSignals?: boolean } = {},
): Promise<RunningApi> {
  const runtime = await openRuntime(config);
  const app = await buildApp(runtime);
  await app.listen({ host: config.HOST, port: config.API_PORT });
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
