import type { Database } from '@e3d/db';
import { holdLease } from './lease.ts';
import { claim, complete, fail, JOBS_CHANNEL, type Job, newWorkerId } from './queue.ts';

/** A handler throws `PermanentJobError` for input that will never succeed (dead-letter now). */
export class PermanentJobError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface JobContext {
  /**
   * Aborted when the job stopped being this worker's (its lease was lost to another worker):
   * a long handler should stop at the next safe point, since whatever it does is redone there.
   */
  signal: AbortSignal;
}

/** The worker always passes `context`; it is optional so plain `(job) => …` wrappers still fit. */
export type JobHandler = (job: Job, context?: JobContext) => Promise<void>;

/** Runs one claimed job under a lease extended as long as it runs; the outcome is recorded. */
export async function runJob(
  db: Database,
  job: Job,
  handler: JobHandler | undefined,
  options: { workerId: string; leaseMs: number; log: NonNullable<WorkerOptions['log']> },
): Promise<'succeeded' | 'retry' | 'dead' | 'lost'> {
  const { workerId, log } = options;
  const lease = holdLease(db, job, {
    workerId,
    leaseMs: options.leaseMs,
    onError: (error) => log({ msg: 'could not extend lease', job: job.id, error: error.message }),
  });
  const lost = () => {
    log({ msg: 'job lost', job: job.id, queue: job.queue, error: String(lease.signal.reason) });
    return 'lost' as const;
  };
  try {
    if (!handler) throw new PermanentJobError(`no handler for queue ${job.queue}`);
    await handler(job, { signal: lease.signal });
    lease.release();
    // The other worker records the outcome now; this one's would be refused anyway.
    if (lease.signal.aborted) return lost();
    await complete(db, job, workerId);
    log({ msg: 'job done', job: job.id, queue: job.queue });
    return 'succeeded';
  } catch (error) {
    lease.release();
    if (lease.signal.aborted) return lost();
    const message = (error as Error).message;
    const permanent = (error as { permanent?: unknown }).permanent === true;
    const outcome = await fail(db, job, workerId, { message, permanent });
    log({
      msg: outcome === 'dead' ? 'job dead' : 'job will retry',
      job: job.id,
      queue: job.queue,
      error: message,
    });
    return outcome;
  }
}

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  concurrency?: number;
  /** How long a claim holds without news; extended every third of it while the job runs. */
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
    try {
      await runJob(db, job, options.handlers[job.queue], { workerId: id, leaseMs, log });
    } catch (recordError) {
      // The lease will run out and the job run again: nothing is lost, only delayed.
      log({ msg: 'could not record outcome', job: job.id, error: (recordError as Error).message });
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

export interface DrainResult {
  succeeded: number;
  failed: number;
}

/**
 * Runs due jobs of the given queues in this process until none is left (the CLI's one-off
 * runs and tests). Leases and failures are handled exactly as the worker handles them.
 */
export async function drain(
  db: Database,
  handlers: Record<string, JobHandler>,
  options: { workerId?: string; leaseMs?: number } = {},
): Promise<DrainResult> {
  const workerId = options.workerId ?? newWorkerId();
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const result: DrainResult = { succeeded: 0, failed: 0 };
  for (;;) {
    const [job] = await claim(db, { queues: Object.keys(handlers), workerId, limit: 1, leaseMs });
    if (!job) return result;
    const outcome = await runJob(db, job, handlers[job.queue], { workerId, leaseMs, log: () => {} });
    if (outcome === 'succeeded') result.succeeded++;
    else result.failed++;
  }
}
