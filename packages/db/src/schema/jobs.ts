import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const jobState = pgEnum('job_state', ['queued', 'running', 'succeeded', 'dead']);

/**
 * The durable job queue (media processing, emails, CDN invalidation). Workers claim rows
 * with FOR UPDATE SKIP LOCKED under a lease; a worker that dies leaves its lease to expire
 * and the job runs again, so handlers are written to be idempotent.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: text('queue').notNull(),
    payload: jsonb('payload').notNull(),
    state: jobState('state').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    /** At most one live (queued or running) job per queue and key. */
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_due_idx').on(t.queue, t.runAt, t.id).where(sql`${t.state} = 'queued'`),
    index('jobs_lease_idx').on(t.lockedUntil).where(sql`${t.state} = 'running'`),
    // Mail asks whether a key was ever sent, finished jobs included.
    index('jobs_queue_dedupe_idx').on(t.queue, t.dedupeKey).where(sql`${t.dedupeKey} IS NOT NULL`),
    uniqueIndex('jobs_live_dedupe_key')
      .on(t.queue, t.dedupeKey)
      .where(sql`${t.state} IN ('queued', 'running') AND ${t.dedupeKey} IS NOT NULL`),
  ],
);

/** A `jobs` row as SQL returns it. */
export interface JobRow {
  /** bigint: a string from node-postgres, a number from PGlite; read it with Number(). */
  id: string | number;
  queue: string;
  payload: unknown;
  state: (typeof jobState.enumValues)[number];
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: Date;
  finished_at: Date | null;
}
