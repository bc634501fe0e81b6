import { type Database, openDatabase } from '@e3d/db';
import { BACKENDS, type TestDatabase, testDatabase } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backoffMs,
  claim,
  complete,
  enqueue,
  fail,
  getJob,
  PermanentJobError,
  startWorker,
} from '../src/index.ts';

describe.each(BACKENDS)('job queue on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  let url: string | undefined;
  let n = 0;
  const queue = () => `test-${++n}`;

  beforeAll(async () => {
    database = await testDatabase(backend, { migrate: true });
    ({ db, url } = database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('enqueues, claims once, completes', async () => {
    const q = queue();
    const id = await enqueue(db, q, { hello: 'world' });
    const [job] = await claim(db, { queues: [q], workerId: 'w1', limit: 5, leaseMs: 60_000 });
    expect(job).toMatchObject({ id, queue: q, payload: { hello: 'world' }, attempts: 1 });
    expect(await claim(db, { queues: [q], workerId: 'w2', limit: 5, leaseMs: 60_000 })).toEqual([]);
    await complete(db, job as NonNullable<typeof job>, 'w1');
    expect((await getJob(db, id))?.state).toBe('succeeded');
  });

  it('dedupes a live job by key, and allows it again once finished', async () => {
    const q = queue();
    const a = await enqueue(db, q, { n: 1 }, { dedupeKey: 'media:1' });
    const b = await enqueue(db, q, { n: 2 }, { dedupeKey: 'media:1' });
    expect(b).toBe(a);
    const [job] = await claim(db, { queues: [q], workerId: 'w', limit: 5, leaseMs: 60_000 });
    await complete(db, job as NonNullable<typeof job>, 'w');
    expect(await enqueue(db, q, { n: 3 }, { dedupeKey: 'media:1' })).not.toBe(a);
  });

  it('retries with backoff, then dead-letters with the error', async () => {
    const q = queue();
    const id = await enqueue(db, q, {}, { maxAttempts: 2 });
    const [first] = await claim(db, { queues: [q], workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(
      await fail(db, first as NonNullable<typeof first>, 'w', { message: 'timeout talking to S3' }),
    ).toBe('retry');
    const retrying = await getJob(db, id);
    expect(retrying?.state).toBe('queued');
    expect(retrying?.runAt.getTime()).toBeGreaterThan(Date.now());
    expect(await claim(db, { queues: [q], workerId: 'w', limit: 1, leaseMs: 60_000 })).toEqual([]);
    await db.query('UPDATE jobs SET run_at = now() WHERE id = $1', [id]);
    const [second] = await claim(db, { queues: [q], workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(second?.attempts).toBe(2);
    expect(await fail(db, second as NonNullable<typeof second>, 'w', { message: 'still failing' })).toBe(
      'dead',
    );
    expect(await getJob(db, id)).toMatchObject({ state: 'dead', lastError: 'still failing', attempts: 2 });
  });

  it('dead-letters a permanent error at once', async () => {
    const q = queue();
    const id = await enqueue(db, q, {});
    const [job] = await claim(db, { queues: [q], workerId: 'w', limit: 1, leaseMs: 60_000 });
    expect(
      await fail(db, job as NonNullable<typeof job>, 'w', { message: 'not a glTF file', permanent: true }),
    ).toBe('dead');
    expect((await getJob(db, id))?.attempts).toBe(1);
  });

  it('a crashed worker loses no job: its lease runs out and another worker takes it', async () => {
    const q = queue();
    const id = await enqueue(db, q, {});
    const [job] = await claim(db, { queues: [q], workerId: 'crashed', limit: 1, leaseMs: 50 });
    expect(job?.id).toBe(id);
    await new Promise((r) => setTimeout(r, 100));
    const [again] = await claim(db, { queues: [q], workerId: 'rescuer', limit: 1, leaseMs: 60_000 });
    expect(again).toMatchObject({ id, attempts: 2 });
    // The crashed worker coming back late cannot finish what it no longer holds.
    await complete(db, job as NonNullable<typeof job>, 'crashed');
    expect((await getJob(db, id))?.state).toBe('running');
    await complete(db, again as NonNullable<typeof again>, 'rescuer');
    expect((await getJob(db, id))?.state).toBe('succeeded');
  });

  it('enqueue inside a rolled-back transaction leaves no job', async () => {
    const q = queue();
    await db.withConnection(async (conn) => {
      await conn.exec('BEGIN');
      await enqueue(conn, q, {});
      await conn.exec('ROLLBACK');
    });
    expect(await claim(db, { queues: [q], workerId: 'w', limit: 5, leaseMs: 60_000 })).toEqual([]);
  });

  it('a worker runs handlers, retries failures and drains on stop', async () => {
    const q = queue();
    const seen: number[] = [];
    let flaky = 0;
    const worker = await startWorker(db, {
      pollMs: 20,
      handlers: {
        [q]: async (job) => {
          const { n, kind } = job.payload as { n: number; kind: string };
          if (kind === 'flaky' && flaky++ === 0) throw new Error('transient');
          if (kind === 'bad') throw new PermanentJobError('corrupt input');
          seen.push(n);
        },
      },
    });
    const ids = [
      await enqueue(db, q, { n: 1, kind: 'ok' }),
      await enqueue(db, q, { n: 2, kind: 'flaky' }),
      await enqueue(db, q, { n: 3, kind: 'bad' }),
    ];
    await db.query('UPDATE jobs SET run_at = now() WHERE queue = $1', [q]);
    for (let i = 0; i < 200; i++) {
      await db.query("UPDATE jobs SET run_at = now() WHERE queue = $1 AND state = 'queued'", [q]);
      const states = await Promise.all(ids.map((id) => getJob(db, id).then((j) => j?.state)));
      if (states.every((s) => s === 'succeeded' || s === 'dead')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await worker.stop();
    expect(seen.sort()).toEqual([1, 2]);
    expect((await getJob(db, ids[2] as number))?.state).toBe('dead');
    expect((await getJob(db, ids[1] as number))?.attempts).toBe(2);
  });

  it('extends the lease of a long job: a second worker never takes it meanwhile', async () => {
    const q = queue();
    const leaseMs = 1_000;
    // Two workers on one database, as two worker tasks are (Postgres: two pools).
    const other = backend === 'postgres+redis' ? await openDatabase({ databaseUrl: url }) : db;
    const runs: string[] = [];
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const handler = (name: string) => async () => {
      runs.push(name);
      started();
      await released;
    };
    const first = await startWorker(db, { pollMs: 20, leaseMs, handlers: { [q]: handler('first') } });
    let second: Awaited<ReturnType<typeof startWorker>> | undefined;
    try {
      const id = await enqueue(db, q, {});
      await running;
      second = await startWorker(other, { pollMs: 20, leaseMs, handlers: { [q]: handler('second') } });
      // Three leases long, while the second worker polls every 20 ms.
      const claimedUntil = async () =>
        (await db.query<{ t: string }>('SELECT locked_until::text AS t FROM jobs WHERE id = $1', [id]))[0]?.t;
      const initial = await claimedUntil();
      await new Promise((resolve) => setTimeout(resolve, leaseMs * 3));
      expect(await claimedUntil()).not.toBe(initial);
      release();
      await first.idle();
      await second.idle();
      expect(runs).toEqual(['first']);
      expect(await getJob(db, id)).toMatchObject({ state: 'succeeded', attempts: 1 });
    } finally {
      release();
      await first.stop();
      await second?.stop();
      if (other !== db) await other.close();
    }
  });

  it('stops extending a lease it lost, tells the handler, and records nothing for it', async () => {
    const q = queue();
    let aborted: unknown;
    let started = () => {};
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const logs: string[] = [];
    const worker = await startWorker(db, {
      pollMs: 20,
      leaseMs: 150,
      log: (event) => logs.push(event.msg),
      handlers: {
        [q]: async (_job, context) => {
          const signal = context?.signal as AbortSignal;
          started();
          await new Promise<void>((resolve) =>
            signal.addEventListener('abort', () => resolve(), { once: true }),
          );
          aborted = signal.reason;
          throw new Error('gave up: the lease is gone');
        },
      },
    });
    try {
      const id = await enqueue(db, q, {});
      await running;
      // Another worker took the job (its lease ran out while this one was stalled).
      await db.query(
        `UPDATE jobs SET locked_by = 'rescuer', locked_until = now() + interval '1 hour', attempts = attempts + 1
         WHERE id = $1`,
        [id],
      );
      await worker.idle();
      expect(aborted).toBeInstanceOf(Error);
      expect(String((aborted as Error).message)).toMatch(/lease/);
      expect(logs).toContain('job lost');
      const [row] = await db.query<{ locked_by: string; state: string; last_error: string | null }>(
        'SELECT locked_by, state, last_error FROM jobs WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ locked_by: 'rescuer', state: 'running', last_error: null });
    } finally {
      await worker.stop();
    }
  });

  if (backend === 'postgres+redis') {
    it('two workers racing for 40 jobs claim each exactly once', async () => {
      const q = queue();
      for (let i = 0; i < 40; i++) await enqueue(db, q, { i });
      const other = await openDatabase({ databaseUrl: url });
      try {
        const claimed: number[] = [];
        await Promise.all(
          [db, other].map(async (handle, w) => {
            for (;;) {
              const jobs = await claim(handle, { queues: [q], workerId: `w${w}`, limit: 3, leaseMs: 60_000 });
              if (jobs.length === 0) return;
              claimed.push(...jobs.map((j) => j.id));
            }
          }),
        );
        expect(claimed).toHaveLength(40);
        expect(new Set(claimed).size).toBe(40);
      } finally {
        await other.close();
      }
    });
  }
});

it('backs off exponentially with jitter, capped', () => {
  expect(backoffMs(1, () => 0.5)).toBe(2_000);
  expect(backoffMs(3, () => 0.5)).toBe(8_000);
  expect(backoffMs(30, () => 0.5)).toBe(600_000);
  expect(backoffMs(1, () => 0)).toBe(1_500);
});
