import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '@e3d/db';
import { drain, getJob } from '@e3d/jobs';
import { BACKENDS, type TestDatabase, testDatabase } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboxMailer,
  enqueueMail,
  enqueueMailSql,
  MAIL_QUEUE,
  type Mailer,
  type MailMessage,
  MailSendError,
  mailJobHandler,
  readOutbox,
} from '../src/index.ts';

const message = (key?: string): MailMessage => ({
  to: 'ana@example.test',
  subject: 'Reset your password',
  text: 'https://shop.example.test/reset?token=t',
  html: '<a href="https://shop.example.test/reset?token=t">Reset</a>',
  ...(key ? { key } : {}),
});

describe.each(BACKENDS)('mail queue on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  let dataDir: string;
  let mailer: Mailer;
  const key = () => `password-reset:${randomUUID().slice(0, 8)}`;
  const run = () => drain(db, { [MAIL_QUEUE]: mailJobHandler(mailer) });

  beforeAll(async () => {
    database = await testDatabase(backend, { migrate: true });
    db = database.db;
    dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-mail-queue-'));
    mailer = createOutboxMailer({ dataDir, from: 'shop@example.test' });
  });
  afterAll(async () => {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const outboxFor = async (k: string) =>
    (await readOutbox(dataDir)).filter((e) => e.file.includes(k.replaceAll(':', '-')));

  it('sends a keyed email once: enqueued twice, drained twice', async () => {
    const k = key();
    const first = await enqueueMail(db, message(k));
    expect(await enqueueMail(db, message(k))).toBe(first);
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    // Already sent: enqueueing it again returns the finished job and queues nothing.
    expect(await enqueueMail(db, message(k))).toBe(first);
    expect(await run()).toEqual({ succeeded: 0, failed: 0 });
    expect(await outboxFor(k)).toHaveLength(1);
    expect((await getJob(db, first))?.state).toBe('succeeded');
  });

  it('sends an unkeyed email each time it is enqueued', async () => {
    const before = (await readOutbox(dataDir)).length;
    const a = await enqueueMail(db, { ...message(), subject: 'Unkeyed' });
    const b = await enqueueMail(db, { ...message(), subject: 'Unkeyed' });
    expect(b).not.toBe(a);
    expect(await run()).toEqual({ succeeded: 2, failed: 0 });
    expect((await readOutbox(dataDir)).length).toBe(before + 2);
  });

  it('enqueues with the caller’s transaction: a rollback sends nothing', async () => {
    const k = key();
    await db.withConnection(async (conn) => {
      await conn.query('BEGIN');
      await enqueueMail(conn, message(k));
      await conn.query('ROLLBACK');
    });
    expect(await run()).toEqual({ succeeded: 0, failed: 0 });
    expect(await outboxFor(k)).toHaveLength(0);

    await db.withConnection(async (conn) => {
      await conn.query('BEGIN');
      await enqueueMail(conn, message(k));
      await conn.query('COMMIT');
    });
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    expect(await outboxFor(k)).toHaveLength(1);
  });

  it('enqueues from a drizzle transaction with enqueueMailSql, once per key', async () => {
    const k = key();
    await db.orm.transaction(async (tx) => {
      await tx.execute(enqueueMailSql(message(k)));
      await tx.execute(enqueueMailSql(message(k)));
    });
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    await db.orm.transaction(async (tx) => {
      await tx.execute(enqueueMailSql(message(k)));
    });
    expect(await run()).toEqual({ succeeded: 0, failed: 0 });
    expect(await outboxFor(k)).toHaveLength(1);
  });

  it('refuses a malformed message at enqueue time', async () => {
    await expect(enqueueMail(db, { ...message(), to: 'nobody' })).rejects.toBeInstanceOf(MailSendError);
  });

  it('dead-letters a permanent failure at once, and retries a temporary one', async () => {
    const failing = (permanent: boolean): Mailer => ({
      driver: 'smtp',
      async send() {
        throw new MailSendError(permanent ? '550 no such mailbox' : '451 try later', { permanent });
      },
      async close() {},
    });
    const dead = await enqueueMail(db, message(key()));
    await drain(db, { [MAIL_QUEUE]: mailJobHandler(failing(true)) });
    expect(await getJob(db, dead)).toMatchObject({
      state: 'dead',
      attempts: 1,
      lastError: '550 no such mailbox',
    });

    const later = await enqueueMail(db, message(key()));
    await drain(db, { [MAIL_QUEUE]: mailJobHandler(failing(false)) });
    expect(await getJob(db, later)).toMatchObject({
      state: 'queued',
      attempts: 1,
      lastError: '451 try later',
    });
    await db.query("UPDATE jobs SET state = 'dead' WHERE id = $1", [later]);

    // A key whose job was dead-lettered may be sent again (after the cause is fixed).
    const [row] = await db.query<{ dedupe_key: string }>('SELECT dedupe_key FROM jobs WHERE id = $1', [dead]);
    const retried = await enqueueMail(db, message(row?.dedupe_key));
    expect(retried).not.toBe(dead);
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
  });

  it('dead-letters a job whose payload is not a message', async () => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO jobs (queue, payload) VALUES ($1, '{"to": 1}'::jsonb) RETURNING id`,
      [MAIL_QUEUE],
    );
    await run();
    expect((await getJob(db, Number(row?.id)))?.state).toBe('dead');
  });
});
