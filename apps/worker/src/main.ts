import { loadConfig } from '@e3d/config';
import { startWorkerService } from './service.ts';

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const service = await startWorkerService(loadConfig());
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      // Finish the jobs in hand; anything unfinished is retried when its lease runs out.
      process.once(signal, () => {
        service.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      });
    }
  } catch (error) {
    console.error(`worker: ${(error as Error).message}`);
    process.exit(1);
  }
}
