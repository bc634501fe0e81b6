import { createHash } from 'node:crypto';
import type { Connection, Database } from '@e3d/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';

/** A stored answer: replayed verbatim for a retry with the same key and body. */
export interface IdempotentAnswer {
  status: number;
  body: unknown;
}

/** What a request that got past its first write saved, so a retry continues instead of redoing it. */
export type Progress = Record<string, unknown>;

const LEASE_SECONDS = 60;
const KEY = /^[\x21-\x7e]{1,255}$/;

/** The request's `Idempotency-Key` header; required where a retry must not act twice. */
export function idempotencyKeyOf(request: FastifyRequest): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key.length === 0) {
    throw new AppError(
      400,
      'idempotency_key_required',
      'Send an Idempotency-Key header (a fresh random value per attempt, the same value on retries).',
    );
  }
  if (!KEY.test(key)) {
    throw new AppError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1-255 visible ASCII characters.',
    );
  }
  return key;
}

export const fingerprint = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Runs `work` at most once per (scope, key). The first request claims the key with a lease and
 * records its answer when done; a retry with the same body gets that answer back (`replayed`);
 * a different body under the same key is refused (422); a retry while the first still runs gets
 * 409. If the first request died after saving progress (e.g. the order id), a retry after the
 * lease continues from it. A request that failed before saving anything frees its key.
 */
export async function runIdempotent(
  db: Database,
  claim: { scope: string; key: string; fingerprint: string },
  work: (
    progress: Progress | null,
    save: (conn: Connection, progress: Progress) => Promise<void>,
  ) => Promise<IdempotentAnswer>,
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const { scope, key } = claim;
  const claimed = await db.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash, locked_until)
     VALUES ($1, $2, $3, now() + make_interval(secs => ${LEASE_SECONDS}))
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [scope, key, claim.fingerprint],
  );
  let progress: Progress | null = null;
  if (claimed.length === 0) {
    const [row] = await db.query<{
      request_hash: string;
      response_status: number | null;
      response_body: unknown;
      locked: boolean;
    }>(
      `SELECT request_hash, response_status, response_body, coalesce(locked_until > now(), false) AS locked
       FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [scope, key],
    );
    if (!row) return runIdempotent(db, claim, work);
    if (row.request_hash !== claim.fingerprint) {
      throw new AppError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request; use a new key for a new attempt.',
      );
    }
    if (row.response_status !== null) {
      return { status: row.response_status, body: row.response_body, replayed: true };
    }
    if (row.locked) {
      throw new AppError(
        409,
        'idempotency_request_in_progress',
        'The first request with this key is still running.',
        undefined,
        {
          retryAfterSeconds: 1,
        },
      );
    }
    const [taken] = await db.query<{ response_body: Progress | null }>(
      `UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
       WHERE scope = $1 AND key = $2 AND response_status IS NULL AND locked_until <= now()
       RETURNING response_body`,
      [scope, key],
    );
    if (!taken) {
      throw new AppError(
        409,
        'idempotency_request_in_progress',
        'The first request with this key is still running.',
      );
    }
    progress = taken.response_body;
  }
  let saved = progress !== null;
  const save = async (conn: Connection, next: Progress) => {
    await conn.query('UPDATE idempotency_keys SET response_body = $3::jsonb WHERE scope = $1 AND key = $2', [
      scope,
      key,
      JSON.stringify(next),
    ]);
    saved = true;
  };
  let answer: IdempotentAnswer;
  try {
    answer = await work(progress, save);
  } catch (error) {
    if (saved) {
      await db.query('UPDATE idempotency_keys SET locked_until = now() WHERE scope = $1 AND key = $2', [
        scope,
        key,
      ]);
    } else {
      await db.query(
        'DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND response_status IS NULL',
        [scope, key],
      );
    }
    throw error;
  }
  await db.query(
    `UPDATE idempotency_keys SET response_status = $3, response_body = $4::jsonb, locked_until = NULL
     WHERE scope = $1 AND key = $2`,
    [scope, key, answer.status, JSON.stringify(answer.body)],
  );
  return { ...answer, replayed: false };
}
