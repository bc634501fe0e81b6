import { type JobRow, type Queryable, rows, type SQL, sql } from '@e3d/db';
import { enqueue, JOBS_CHANNEL, type Job, PermanentJobError } from '@e3d/jobs';
import { checkMessage, type Mailer, type MailMessage, MailSendError } from './message.ts';

export const MAIL_QUEUE = 'mail.send';

const MAX_ATTEMPTS = 8;

/**
 * Enqueues the email in the caller's transaction/connection: it is sent if and only if the
 * caller's change commits. With a `key`, the email is enqueued once: while a job for the
 * key is queued or running, or once one has succeeded, the existing job's id is returned
 * (a key whose job was dead-lettered may be enqueued again).
 */
export async function enqueueMail(conn: Queryable, message: MailMessage): Promise<number> {
  const payload = checkMessage(message);
  if (!payload.key) return enqueue(conn, MAIL_QUEUE, payload, { maxAttempts: MAX_ATTEMPTS });
  const [sent] = await rows<Pick<JobRow, 'id'>>(
    conn,
    sql`SELECT id FROM jobs WHERE queue = ${MAIL_QUEUE} AND dedupe_key = ${payload.key} AND state = 'succeeded' ORDER BY id LIMIT 1`,
  );
  if (sent) return Number(sent.id);
  return enqueue(conn, MAIL_QUEUE, payload, { dedupeKey: payload.key, maxAttempts: MAX_ATTEMPTS });
}

/**
 * The same as `enqueueMail`, as one statement for a drizzle transaction
 * (`await rows(tx, enqueueMailSql(message))`).
 */
export function enqueueMailSql(message: MailMessage): SQL {
  const payload = checkMessage(message);
  const key = payload.key ?? null;
  return sql`WITH sent AS (
      SELECT id FROM jobs
      WHERE ${key}::text IS NOT NULL AND queue = ${MAIL_QUEUE} AND dedupe_key = ${key}::text AND state = 'succeeded'
      LIMIT 1
    ), inserted AS (
      INSERT INTO jobs (queue, payload, dedupe_key, max_attempts)
      SELECT ${MAIL_QUEUE}, ${JSON.stringify(payload)}::jsonb, ${key}::text, ${MAX_ATTEMPTS}
      WHERE NOT EXISTS (SELECT 1 FROM sent)
      ON CONFLICT (queue, dedupe_key) WHERE state IN ('queued', 'running') AND dedupe_key IS NOT NULL
      DO NOTHING
      RETURNING id
    )
    SELECT id, pg_notify(${JOBS_CHANNEL}, ${MAIL_QUEUE}) FROM inserted`;
}

/**
 * The worker's handler for MAIL_QUEUE. A message that can never be sent (malformed, or
 * refused for good by SES/SMTP) is dead-lettered at once; anything else is retried.
 */
export function mailJobHandler(mailer: Mailer): (job: Job) => Promise<void> {
  return async (job) => {
    let message: MailMessage;
    try {
      message = checkMessage(job.payload);
    } catch (error) {
      throw new PermanentJobError((error as Error).message);
    }
    try {
      await mailer.send(message);
    } catch (error) {
      if (error instanceof MailSendError && error.permanent) throw new PermanentJobError(error.message);
      throw error;
    }
  };
}
