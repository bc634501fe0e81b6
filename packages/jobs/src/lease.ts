import { type Database, type JobRow, rows, sql } from '@e3d/db';
import type { Job } from './queue.ts';

/**
 * Pushes a running job's lease `leaseMs` into the future. False when this worker no longer
 * holds the job: its lease ran out and another worker claimed it, or it was finished.
 */
export async function extendLease(
  db: Database,
  job: Job,
  workerId: string,
  leaseMs: number,
): Promise<boolean> {
  const extended = await rows<Pick<JobRow, 'id'>>(
    db,
    sql`UPDATE jobs SET locked_until = now() + make_interval(secs => ${leaseMs} / 1000.0)
     WHERE id = ${job.id} AND state = 'running' AND locked_by = ${workerId}
     RETURNING id`,
  );
  return extended.length > 0;
}

export class LeaseLostError extends Error {
  constructor(job: Job) {
    super(`lost the lease on job ${job.id} (${job.queue}): another worker has it now`);
    this.name = 'LeaseLostError';
  }
}

export interface HeldLease {
  /** Aborted (with a LeaseLostError) when the job is no longer this worker's. */
  readonly signal: AbortSignal;
  /** Stops extending; call once the handler has settled. */
  release(): void;
}

/**
 * Holds a claimed job's lease while its handler runs, however long that is: extended every
 * third of the lease, so two missed beats in a row still leave it held. A beat that finds the
 * job taken stops beating and aborts `signal`; one that fails (database away) is retried at
 * the next beat, since the lease may well still be ours.
 */
export function holdLease(
  db: Database,
  job: Job,
  options: { workerId: string; leaseMs: number; onError?: (error: Error) => void },
): HeldLease {
  const controller = new AbortController();
  const everyMs = Math.max(10, Math.floor(options.leaseMs / 3));
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  const beat = async () => {
    try {
      const held = await extendLease(db, job, options.workerId, options.leaseMs);
      if (!held && !released) {
        controller.abort(new LeaseLostError(job));
        return;
      }
    } catch (error) {
      options.onError?.(error as Error);
    }
    schedule();
  };
  const schedule = () => {
    if (released || controller.signal.aborted) return;
    timer = setTimeout(() => void beat(), everyMs);
    // A beat pending must not keep a finished process alive.
    timer.unref();
  };
  schedule();
  return {
    signal: controller.signal,
    release() {
      released = true;
      clearTimeout(timer);
    },
  };
}
