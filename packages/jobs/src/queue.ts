import { randomUUID } from 'node:crypto';
import { type Database, type JobRow, type Queryable, rows, type SQL, sql } from '@e3d/db';

export interface EnqueueOptions {
  /** At most one live job per queue and key: enqueueing it again returns the existing job. */
  dedupeKey?: string;
  /** Not before this time (default now). */
  runAt?: Date;
  maxAttempts?: number;
}

export interface Job<T = unknown> {
  id: number;
  queue: string;
  payload: T;
  attempts: number;
  maxAttempts: number;
}

export interface JobRecord extends Job {
  state: JobRow['state'];
  lastError: string | null;
  runAt: Date;
}

export const JOBS_CHANNEL = 'e3d_jobs';

/**
 * Enqueues on the given connection, so a caller inside a transaction enqueues atomically
 * with its own writes: the job exists if and only if the change committed.
 */
export async function enqueue(
  conn: Queryable,
  queue: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<number> {
  const dedupeKey = options.dedupeKey ?? null;
  const [row] = await rows<Pick<JobRow, 'id'>>(
    conn,
    sql`WITH inserted AS (
       INSERT INTO jobs (queue, payload, dedupe_key, run_at, max_attempts)
       VALUES (${queue}, ${JSON.stringify(payload)}, ${dedupeKey}, coalesce(${options.runAt ?? null}, now()), ${options.maxAttempts ?? 5})
       ON CONFLICT (queue, dedupe_key) WHERE state IN ('queued', 'running') AND dedupe_key IS NOT NULL
       DO NOTHING
       RETURNING id
     )
     SELECT id FROM inserted
     UNION ALL
     SELECT id FROM jobs WHERE queue = ${queue} AND dedupe_key = ${dedupeKey} AND state IN ('queued', 'running')
     LIMIT 1`,
  );
  await rows(conn, sql`SELECT pg_notify(${JOBS_CHANNEL}, ${queue})`);
  return Number(row?.id);
}

export interface ClaimOptions {
  queues: string[];
  workerId: string;
  limit: number;
  /** How long the claim holds; a worker that dies releases its jobs when this runs out. */
  leaseMs: number;
}

/** Claims due jobs, and jobs whose worker's lease ran out, without blocking other workers. */
export async function claim(db: Database, options: ClaimOptions): Promise<Job[]> {
  const claimed = await rows<Pick<JobRow, 'id' | 'queue' | 'payload' | 'attempts' | 'max_attempts'>>(
    db,
    sql`UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = ${options.workerId},
            locked_until = now() + make_interval(secs => ${options.leaseMs} / 1000.0)
     WHERE id IN (
       SELECT id FROM jobs
       WHERE queue = ANY(${sql.param(options.queues)}) AND (
         (state = 'queued' AND run_at <= now()) OR (state = 'running' AND locked_until < now()))
       ORDER BY run_at, id
       LIMIT ${options.limit}
       FOR UPDATE SKIP LOCKED
     )
     RETURNING id, queue, payload, attempts, max_attempts`,
  );
  return claimed.map((r) => ({
    id: Number(r.id),
    queue: r.queue,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  }));
}

/** Only the worker holding the lease may finish a job (a late duplicate changes nothing). */
export async function complete(db: Database, job: Job, workerId: string): Promise<void> {
  await rows(
    db,
    sql`UPDATE jobs SET state = 'succeeded', finished_at = now(), locked_by = NULL, locked_until = NULL, last_error = NULL
     WHERE id = ${job.id} AND state = 'running' AND locked_by = ${workerId}`,
  );
}

/** Exponential backoff with jitter: ~2 s, 4 s, 8 s … capped at 10 minutes. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(2 ** attempts * 1_000, 600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * Records a failure: the job runs again after a backoff, or — attempts used up, or the
 * error is permanent — it is dead-lettered with its error kept for staff to read.
 */
export async function fail(
  db: Database,
  job: Job,
  workerId: string,
  error: { message: string; permanent?: boolean },
): Promise<'retry' | 'dead'> {
  const dead = error.permanent === true || job.attempts >= job.maxAttempts;
  const state = dead ? 'dead' : 'queued';
  await rows(
    db,
    sql`UPDATE jobs SET state = ${state}::job_state, last_error = ${error.message.slice(0, 4_000)},
            locked_by = NULL, locked_until = NULL,
            run_at = CASE WHEN ${state}::text = 'queued' THEN now() + make_interval(secs => ${backoffMs(job.attempts)} / 1000.0) ELSE run_at END,
            finished_at = CASE WHEN ${state}::text = 'dead' THEN now() ELSE NULL END
     WHERE id = ${job.id} AND state = 'running' AND locked_by = ${workerId}`,
  );
  return dead ? 'dead' : 'retry';
}

export async function getJob(db: Database, id: number): Promise<JobRecord | null> {
  const [r] = await rows<
    Pick<JobRow, 'id' | 'queue' | 'payload' | 'attempts' | 'max_attempts' | 'state' | 'last_error' | 'run_at'>
  >(
    db,
    sql`SELECT id, queue, payload, attempts, max_attempts, state, last_error, run_at FROM jobs WHERE id = ${id}`,
  );
  if (!r) return null;
  return {
    id: Number(r.id),
    queue: r.queue,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    state: r.state,
    lastError: r.last_error,
    runAt: new Date(r.run_at),
  };
}

export const newWorkerId = () => `worker-${process.pid}-${randomUUID().slice(0, 8)}`;

/**
 * The enqueue statement for a caller inside a drizzle transaction (`rows(tx, enqueueSql(…))`): the
 * job commits or rolls back with the caller's writes. Workers are woken at commit.
 */
export function enqueueSql(queue: string, payload: unknown, options: EnqueueOptions = {}): SQL {
  return sql`WITH inserted AS (
      INSERT INTO jobs (queue, payload, dedupe_key, run_at, max_attempts)
      VALUES (${queue}, ${JSON.stringify(payload)}::jsonb, ${options.dedupeKey ?? null},
              coalesce(${options.runAt?.toISOString() ?? null}::timestamptz, now()), ${options.maxAttempts ?? 5})
      ON CONFLICT (queue, dedupe_key) WHERE state IN ('queued', 'running') AND dedupe_key IS NOT NULL
      DO NOTHING
      RETURNING id
    )
    SELECT id, pg_notify(${JOBS_CHANNEL}, ${queue}) FROM inserted`;
}
