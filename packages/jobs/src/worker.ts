import type { Database } from '@e3d/db';
import { claim, complete, fail, JOBS_CHANNEL, type Job, newWorkerId } from './queue.ts';

/** A handler throws `PermanentJobError` for input that will never succeed (dead-letter now). */
export class PermanentJobError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export type JobHandler = (job: Job) => Promise<void>;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  concurrency?: number;
  leaseMs?: number;
  /** Polling catches jobs that come due later; NOTIFY wakes the worker for new ones at once. */
  pollMs?: number;
  log?: (event: { msg: string; job?: number; queue?: string; error?: string }) => void;
}

export interface RunningWorker {
  readonly id: string;
  /** Resolves when no job is running and none is due (tests, graceful drain). */
  idle(): Promise<void>;
  /** Stops claiming, waits for running jobs to finish. */
  stop(): Promise<void>;
}

export async function startWorker(db: Database, options: WorkerOptions): Promise<RunningWorker> {
  const id = newWorkerId();
  const queues = Object.keys(options.handlers);
  const concurrency = options.concurrency ?? 2;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const log = options.log ?? (() => {});
  const running = new Set<Promise<void>>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let idleWaiters: (() => void)[] = [];

  const run = async (job: Job) => {
    const handler = options.handlers[job.queue];
    try {
      if (!handler) throw new PermanentJobError(`no handler for queue ${job.queue}`);
      await handler(job);
      await complete(db, job, id);
      log({ msg: 'job done', job: job.id, queue: job.queue });
    } catch (error) {
      const message = (error as Error).message;
      const permanent = error instanceof PermanentJobError;
      try {
        const outcome = await fail(db, job, id, { message, permanent });
        log({
          msg: outcome === 'dead' ? 'job dead' : 'job will retry',
          job: job.id,
          queue: job.queue,
          error: message,
        });
      } catch (recordError) {
        // The lease will run out and the job run again: nothing is lost, only delayed.
        log({ msg: 'could not record failure', job: job.id, error: (recordError as Error).message });
      }
    }
  };

  const loop = async () => {
    while (!stopped) {
      const free = concurrency - running.size;
      let claimed: Job[] = [];
      if (free > 0) {
        try {
          claimed = await claim(db, { queues, workerId: id, limit: free, leaseMs });
        } catch (error) {
          log({ msg: 'claim failed', error: (error as Error).message });
        }
      }
      for (const job of claimed) {
        const promise = run(job).finally(() => {
          running.delete(promise);
          wake?.();
        });
        running.add(promise);
      }
      if (claimed.length === 0 && running.size === 0) {
        for (const resolve of idleWaiters) resolve();
        idleWaiters = [];
      }
      if (claimed.length === 0 || running.size >= concurrency) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs ?? 1_000);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  };

  const unlisten = await db.listen(JOBS_CHANNEL, () => wake?.());
  const looping = loop();

  return {
    id,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake?.();
      }),
    async stop() {
      stopped = true;
      wake?.();
      await looping;
      await Promise.allSettled([...running]);
      for (const resolve of idleWaiters) resolve();
      await unlisten();
    },
  };
}
