import { createHash } from 'node:crypto';
import { type Connection, type Database, type IdempotencyKeyRow, rows, sql } from '@e3d/db';
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
 * Which keys a live process is working on. A session-level advisory lock per key, held on one
 * Postgres session of this process while its requests run: when the process dies (kill -9,
 * OOM, a lost task) the server ends that session and frees every lock at once, so a retry can
 * tell a dead first attempt from a slow one without waiting out a lease. On PGlite the data
 * folder belongs to one process, so a key not held here was left by a process that is gone.
 */
class LiveClaims {
  private readonly held = new Set<string>();
  private session: Promise<{ conn: Connection; release: () => void }> | null = null;
  private users = 0;

  constructor(private readonly db: Database) {}

  /** Claims `id` for this process; false when a live request (here or elsewhere) holds it. */
  async take(id: string): Promise<boolean> {
    if (this.held.has(id)) return false;
    this.held.add(id);
    if (this.db.kind === 'pglite') return true;
    this.users += 1;
    try {
      const { conn } = await this.open();
      const [row] = await rows<{ ok: boolean }>(
        conn,
        sql`SELECT pg_try_advisory_lock(${lockId(id)}::bigint) AS ok`,
      );
      if (row?.ok) return true;
    } catch (error) {
      this.held.delete(id);
      this.done();
      throw error;
    }
    this.held.delete(id);
    this.done();
    return false;
  }

  async drop(id: string): Promise<void> {
    if (!this.held.delete(id) || this.db.kind === 'pglite') return;
    try {
      const { conn } = await this.open();
      await rows(conn, sql`SELECT pg_advisory_unlock(${lockId(id)}::bigint)`);
    } catch {
      // The session is gone, and its locks with it.
    } finally {
      this.done();
    }
  }

  /** The session lives while this process has claims; it goes back to the pool after the last. */
  private open() {
    this.session ??= new Promise((resolve, reject) => {
      this.db
        .withConnection(
          (conn) =>
            new Promise<void>((release) => {
              resolve({ conn, release });
            }),
        )
        .catch((error: unknown) => {
          this.session = null;
          reject(error);
        });
    });
    return this.session;
  }

  private done() {
    this.users -= 1;
    if (this.users > 0 || !this.session) return;
    const session = this.session;
    this.session = null;
    void session.then(({ release }) => release()).catch(() => undefined);
  }
}

const lockId = (id: string) => createHash('sha256').update(id).digest().readBigInt64BE(0).toString();

const liveClaims = new WeakMap<Database, LiveClaims>();
const claimsOf = (db: Database) => {
  let claims = liveClaims.get(db);
  if (!claims) {
    claims = new LiveClaims(db);
    liveClaims.set(db, claims);
  }
  return claims;
};

const inProgress = () =>
  new AppError(
    409,
    'idempotency_request_in_progress',
    'The first request with this key is still running.',
    undefined,
    {
      retryAfterSeconds: 1,
    },
  );

/**
 * Runs `work` at most once per (scope, key). The first request claims the key and records its
 * answer when done; a retry with the same body gets that answer back (`replayed`); a different
 * body under the same key is refused (422); a retry while the first still runs gets 409. If the
 * first request died after saving progress (e.g. the order id), a retry continues from it at
 * once — a dead process holds no claim (see LiveClaims); `locked_until` only tells operators
 * when it was taken. A request that failed before saving anything frees its key.
 */
export async function runIdempotent(
  db: Database,
  claim: { scope: string; key: string; fingerprint: string },
  work: (
    progress: Progress | null,
    save: (conn: Connection, progress: Progress) => Promise<void>,
  ) => Promise<IdempotentAnswer>,
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const claims = claimsOf(db);
  const id = `${claim.scope}\u0000${claim.key}`;
  if (!(await claims.take(id))) {
    const [done] = await rows<Answered>(
      db,
      sql`SELECT request_hash, response_status, response_body FROM idempotency_keys
          WHERE scope = ${claim.scope} AND key = ${claim.key}`,
    );
    if (done && done.request_hash !== claim.fingerprint) throw reused();
    if (done && done.response_status !== null) {
      return { status: done.response_status, body: done.response_body, replayed: true };
    }
    throw inProgress();
  }
  try {
    return await runClaimed(db, claim, work);
  } finally {
    await claims.drop(id);
  }
}

type Answered = Pick<IdempotencyKeyRow, 'request_hash' | 'response_status' | 'response_body'>;

const reused = () =>
  new AppError(
    422,
    'idempotency_key_reused',
    'This Idempotency-Key was used for a different request; use a new key for a new attempt.',
  );

/** The body of runIdempotent, while this process holds the key's claim. */
async function runClaimed(
  db: Database,
  claim: { scope: string; key: string; fingerprint: string },
  work: Parameters<typeof runIdempotent>[2],
): Promise<IdempotentAnswer & { replayed: boolean }> {
  const { scope, key } = claim;
  const lease = sql`now() + make_interval(secs => ${LEASE_SECONDS})`;
  const claimed = await rows(
    db,
    sql`INSERT INTO idempotency_keys (scope, key, request_hash, locked_until)
        VALUES (${scope}, ${key}, ${claim.fingerprint}, ${lease})
        ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
  );
  let progress: Progress | null = null;
  if (claimed.length === 0) {
    const [row] = await rows<Answered>(
      db,
      sql`SELECT request_hash, response_status, response_body
          FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`,
    );
    if (!row) return runClaimed(db, claim, work);
    if (row.request_hash !== claim.fingerprint) throw reused();
    if (row.response_status !== null) {
      return { status: row.response_status, body: row.response_body, replayed: true };
    }
    // Nobody alive holds the key: the first attempt died; continue from what it saved.
    const [taken] = await rows<{ response_body: Progress | null }>(
      db,
      sql`UPDATE idempotency_keys SET locked_until = ${lease}
          WHERE scope = ${scope} AND key = ${key} AND response_status IS NULL
          RETURNING response_body`,
    );
    if (!taken) return runClaimed(db, claim, work);
    progress = taken.response_body;
  }
  let saved = progress !== null;
  const save = async (conn: Connection, next: Progress) => {
    await rows(
      conn,
      sql`UPDATE idempotency_keys SET response_body = ${JSON.stringify(next)}::jsonb
          WHERE scope = ${scope} AND key = ${key}`,
    );
    saved = true;
  };
  let answer: IdempotentAnswer;
  try {
    answer = await work(progress, save);
  } catch (error) {
    if (saved) {
      await rows(
        db,
        sql`UPDATE idempotency_keys SET locked_until = now() WHERE scope = ${scope} AND key = ${key}`,
      );
    } else {
      await rows(
        db,
        sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key} AND response_status IS NULL`,
      );
    }
    throw error;
  }
  await rows(
    db,
    sql`UPDATE idempotency_keys SET response_status = ${answer.status},
          response_body = ${JSON.stringify(answer.body)}::jsonb, locked_until = NULL
        WHERE scope = ${scope} AND key = ${key}`,
  );
  return { ...answer, replayed: false };
}
