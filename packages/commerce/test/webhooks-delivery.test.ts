import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@e3d/db';
import { drain, getJob, startWorker } from '@e3d/jobs';
import { BACKENDS, type TestDatabase, testDatabase } from '@e3d/testing/postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  emitEvent,
  newWebhookSecret,
  redeliverWebhook,
  sendTestEvent,
  signWebhookPayload,
  verifyWebhookSignature,
  WEBHOOK_QUEUE,
  type WebhookDeliveryOptions,
  webhookJobHandler,
} from '../src/index.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

type Reply = number | { status: number; body?: string } | 'hang';

/** A webhook receiver on 127.0.0.1: answers with `replies` in turn (then 200), records every request. */
async function startReceiver(port = 0) {
  const received: Received[] = [];
  const replies: Reply[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '/',
        headers: request.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      const reply = replies.shift() ?? 200;
      if (reply === 'hang') {
        hanging.push(response);
        return;
      }
      const { status, body } = typeof reply === 'number' ? { status: reply, body: '' } : reply;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    replies,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** A port nothing listens on (for a moment): connections to it are refused. */
async function freePort(): Promise<number> {
  const probe = await startReceiver();
  await probe.close();
  return probe.port;
}

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

describe.each(BACKENDS)('outbound webhooks on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  const receivers: Receiver[] = [];

  const receiver = async (port?: number) => {
    const r = await startReceiver(port);
    receivers.push(r);
    return r;
  };

  const endpoint = async (url: string, options: { events?: string[]; active?: boolean } = {}) => {
    const secret = newWebhookSecret();
    const [row] = await db.query<{ id: string }>(
      'INSERT INTO webhook_endpoints (url, secret, events, active) VALUES ($1, $2, $3::text[], $4) RETURNING id',
      [url, secret, options.events ?? [], options.active ?? true],
    );
    return { id: row?.id as string, secret };
  };

  const deliveries = (endpointId: string) =>
    db.query<DeliveryRow>(
      `SELECT id, event_id, event_type, status, attempts, last_status_code, last_error, last_attempt_at, delivered_at
       FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at, id`,
      [endpointId],
    );

  const jobOf = async (deliveryId: string) => {
    const [row] = await db.query<{ id: string }>(
      `SELECT id FROM jobs WHERE queue = $1 AND payload->>'deliveryId' = $2 ORDER BY id DESC LIMIT 1`,
      [WEBHOOK_QUEUE, deliveryId],
    );
    return getJob(db, Number(row?.id));
  };

  const run = (options: WebhookDeliveryOptions = {}) =>
    drain(db, { [WEBHOOK_QUEUE]: webhookJobHandler(db, { timeoutMs: 2_000, ...options }) });

  /** Retries come due after their backoff; tests bring them forward instead of waiting. */
  const retriesDueNow = () =>
    db.query(`UPDATE jobs SET run_at = now() WHERE queue = $1 AND state = 'queued'`, [WEBHOOK_QUEUE]);

  beforeAll(async () => {
    database = await testDatabase(backend, { migrate: true });
    db = database.db;
  });
  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
    await db.query('DELETE FROM webhook_endpoints');
    await db.query('DELETE FROM jobs WHERE queue = $1', [WEBHOOK_QUEUE]);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('POSTs the event signed with the endpoint secret, and logs the success', async () => {
    const r = await receiver();
    const { id, secret } = await endpoint(`${r.url}/hooks`);
    const eventId = await emitEvent(db, 'order.paid', {
      orderId: 'o-1',
      total: { amount: 1999, currency: 'USD' },
    });
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });

    expect(r.received).toHaveLength(1);
    const [call] = r.received as [Received];
    const [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(call.path).toBe('/hooks');
    expect(call.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'ecommerce-3d-webhooks/1',
      'e3d-event-id': eventId,
      'e3d-event-type': 'order.paid',
      'e3d-delivery-id': delivery.id,
    });
    expect(JSON.parse(call.raw)).toEqual({
      id: eventId,
      type: 'order.paid',
      createdAt: expect.any(String),
      data: { orderId: 'o-1', total: { amount: 1999, currency: 'USD' } },
    });

    const header = call.headers['e3d-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, call.raw, header)).toBe(true);
    expect(verifyWebhookSignature(secret, Buffer.from(call.raw), header)).toBe(true);
    expect(verifyWebhookSignature(newWebhookSecret(), call.raw, header)).toBe(false);
    expect(verifyWebhookSignature(secret, call.raw.replace('1999', '1'), header)).toBe(false);
    expect(verifyWebhookSignature(secret, `${call.raw} `, header)).toBe(false);
    // Replayed six minutes later: refused by the 5-minute tolerance (a wider one accepts it).
    expect(verifyWebhookSignature(secret, call.raw, header, 300, Date.now() + 360_000)).toBe(false);
    expect(verifyWebhookSignature(secret, call.raw, header, 600, Date.now() + 360_000)).toBe(true);

    expect(delivery).toMatchObject({
      event_id: eventId,
      event_type: 'order.paid',
      status: 'succeeded',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
    });
    expect(delivery.delivered_at).not.toBeNull();
    expect(delivery.last_attempt_at).not.toBeNull();
  });

  it('a receiver that is down loses nothing: refused attempts are logged, then it gets the event', async () => {
    const port = await freePort();
    const { id, secret } = await endpoint(`http://127.0.0.1:${port}/in`);
    const eventId = await emitEvent(db, 'order.placed', { orderId: 'o-2' });

    expect(await run()).toEqual({ succeeded: 0, failed: 1 });
    let [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(delivery.last_error).toMatch(/ECONNREFUSED/);
    const job = await jobOf(delivery.id);
    expect(job).toMatchObject({ state: 'queued', attempts: 1, maxAttempts: 12 });
    expect(job?.runAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: the queue's backoff holds it.
    expect(await run()).toEqual({ succeeded: 0, failed: 0 });

    await retriesDueNow();
    expect(await run()).toEqual({ succeeded: 0, failed: 1 });
    [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2 });

    const r = await receiver(port);
    await retriesDueNow();
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      last_status_code: 200,
      last_error: null,
    });
    expect((await jobOf(delivery.id))?.state).toBe('succeeded');
    expect(r.received).toHaveLength(1);
    expect(r.received[0]?.headers['e3d-event-id']).toBe(eventId);
    expect(
      verifyWebhookSignature(
        secret,
        r.received[0]?.raw ?? '',
        r.received[0]?.headers['e3d-signature'] as string,
      ),
    ).toBe(true);
  });

  it('retries a 500 with its body in the log, then succeeds with the same event and body', async () => {
    const r = await receiver();
    r.replies.push({ status: 500, body: 'database is down\n' });
    const { id } = await endpoint(r.url);
    await emitEvent(db, 'product.updated', { id: 'p-1' });

    expect(await run()).toEqual({ succeeded: 0, failed: 1 });
    let [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500: database is down',
    });
    await retriesDueNow();
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      last_status_code: 200,
      last_error: null,
    });
    expect(r.received).toHaveLength(2);
    expect(r.received[1]?.raw).toBe(r.received[0]?.raw);
    expect(r.received[1]?.headers['e3d-event-id']).toBe(r.received[0]?.headers['e3d-event-id']);
  });

  it('410 Gone fails the delivery at once, without retries', async () => {
    const r = await receiver();
    r.replies.push(410);
    const { id } = await endpoint(r.url);
    await emitEvent(db, 'order.canceled', { orderId: 'o-3' });
    expect(await run()).toEqual({ succeeded: 0, failed: 1 });
    const [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 410 });
    const job = await jobOf(delivery.id);
    expect(job?.state).toBe('dead');
    expect(job?.lastError).toMatch(/410/);
    await retriesDueNow();
    expect(await run()).toEqual({ succeeded: 0, failed: 0 });
    expect(r.received).toHaveLength(1);
  });

  it('marks the delivery failed when the job runs out of attempts', async () => {
    const r = await receiver();
    r.replies.push(503, 503, 503);
    const { id } = await endpoint(r.url);
    await emitEvent(db, 'order.refunded', { orderId: 'o-4' });
    await db.query('UPDATE jobs SET max_attempts = 2 WHERE queue = $1', [WEBHOOK_QUEUE]);
    await run();
    expect((await deliveries(id))[0]?.status).toBe('pending');
    await retriesDueNow();
    await run();
    const [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({ status: 'failed', attempts: 2, last_status_code: 503 });
    expect((await jobOf(delivery.id))?.state).toBe('dead');
  });

  it('logs a timeout and a redirect (not followed) as failed attempts', async () => {
    const r = await receiver();
    r.replies.push('hang');
    const { id } = await endpoint(r.url);
    await emitEvent(db, 'order.fulfilled', { orderId: 'o-5' });
    expect(await run({ timeoutMs: 200 })).toEqual({ succeeded: 0, failed: 1 });
    let [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({
      status: 'pending',
      last_status_code: null,
      last_error: 'timed out after 200 ms',
    });

    const redirect = await receiver();
    redirect.replies.push(307);
    await db.query('UPDATE webhook_endpoints SET url = $1 WHERE id = $2', [redirect.url, id]);
    await retriesDueNow();
    expect(await run()).toEqual({ succeeded: 0, failed: 1 });
    [delivery] = (await deliveries(id)) as [DeliveryRow];
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2, last_status_code: 307 });
  });

  it('delivers only what an endpoint subscribes to, and nothing to inactive endpoints', async () => {
    const r = await receiver();
    const paidOnly = await endpoint(`${r.url}/paid`, { events: ['order.paid'] });
    const everything = await endpoint(`${r.url}/all`);
    const inactive = await endpoint(`${r.url}/inactive`, { active: false });
    await emitEvent(db, 'product.updated', { id: 'p-2' });
    await emitEvent(db, 'order.paid', { orderId: 'o-6' });
    expect(await run()).toEqual({ succeeded: 3, failed: 0 });

    expect((await deliveries(paidOnly.id)).map((d) => d.event_type)).toEqual(['order.paid']);
    expect((await deliveries(everything.id)).map((d) => d.event_type).sort()).toEqual([
      'order.paid',
      'product.updated',
    ]);
    expect(await deliveries(inactive.id)).toEqual([]);
    const seen = r.received.map((c) => `${c.path} ${c.headers['e3d-event-type']}`).sort();
    expect(seen).toEqual(['/all order.paid', '/all product.updated', '/paid order.paid']);
  });

  it('an endpoint deactivated before the attempt gets nothing; a deleted one takes its log along', async () => {
    const r = await receiver();
    const a = await endpoint(`${r.url}/a`);
    await emitEvent(db, 'order.delivered', { orderId: 'o-7' });
    await db.query('UPDATE webhook_endpoints SET active = false WHERE id = $1', [a.id]);
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    const [delivery] = (await deliveries(a.id)) as [DeliveryRow];
    expect(delivery).toMatchObject({ status: 'failed', attempts: 0 });
    expect(delivery.last_error).toMatch(/deactivated/);

    const b = await endpoint(`${r.url}/b`);
    await emitEvent(db, 'order.delivered', { orderId: 'o-8' });
    await db.query('DELETE FROM webhook_endpoints WHERE id = $1', [b.id]);
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    expect(r.received).toEqual([]);
  });

  it('an event emitted in a rolled-back transaction is never delivered; a committed one is', async () => {
    const r = await receiver();
    const { id } = await endpoint(r.url);
    await expect(
      db.transaction(async (conn) => {
        await emitEvent(conn, 'order.placed', { orderId: 'rolled-back' });
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    expect(await deliveries(id)).toEqual([]);
    expect(await run()).toEqual({ succeeded: 0, failed: 0 });

    const eventId = await db.transaction((conn) => emitEvent(conn, 'order.placed', { orderId: 'committed' }));
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    expect(r.received.map((c) => c.headers['e3d-event-id'])).toEqual([eventId]);
  });

  it('sends a test ping to one endpoint only, and redelivers a settled delivery', async () => {
    const r = await receiver();
    const target = await endpoint(`${r.url}/target`, { events: ['order.paid'] });
    const other = await endpoint(`${r.url}/other`);
    const { eventId, deliveryId } = await sendTestEvent(db, target.id);
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    expect(await deliveries(other.id)).toEqual([]);
    const [ping] = r.received as [Received];
    expect(ping.path).toBe('/target');
    expect(ping.headers['e3d-event-type']).toBe('webhook.test');
    expect(JSON.parse(ping.raw)).toMatchObject({
      id: eventId,
      type: 'webhook.test',
      data: { endpointId: target.id },
    });
    expect(verifyWebhookSignature(target.secret, ping.raw, ping.headers['e3d-signature'] as string)).toBe(
      true,
    );

    expect(await redeliverWebhook(db, deliveryId)).toBe(true);
    expect(await redeliverWebhook(db, deliveryId)).toBe(false); // pending: its job is queued already
    expect((await deliveries(target.id))[0]?.status).toBe('pending');
    expect(await run()).toEqual({ succeeded: 1, failed: 0 });
    expect(r.received.map((c) => c.headers['e3d-event-id'])).toEqual([eventId, eventId]);
    expect((await deliveries(target.id))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('a test ping is tried once: a failing endpoint shows failed at once', async () => {
    const port = await freePort();
    const { id } = await endpoint(`http://127.0.0.1:${port}`);
    await sendTestEvent(db, id);
    expect(await run()).toEqual({ succeeded: 0, failed: 1 });
    expect((await deliveries(id))[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('the worker delivers as soon as the event commits', async () => {
    const r = await receiver();
    const { id } = await endpoint(r.url);
    const worker = await startWorker(db, {
      pollMs: 50,
      handlers: { [WEBHOOK_QUEUE]: webhookJobHandler(db) },
    });
    try {
      await emitEvent(db, 'product.created', { id: 'p-3' });
      for (let i = 0; i < 100 && (await deliveries(id))[0]?.status !== 'succeeded'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await worker.stop();
    }
    expect((await deliveries(id))[0]?.status).toBe('succeeded');
    expect(r.received).toHaveLength(1);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"evt","type":"order.paid"}';
  const now = 1_750_000_000_000;

  it('are Stripe-style: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret).update(`1750000000.${body}`).digest('hex');
    expect(signWebhookPayload(secret, body, now / 1000)).toBe(`t=1750000000,v1=${expected}`);
  });

  it('verify within the tolerance only, and any one of several v1 values', () => {
    const header = signWebhookPayload(secret, body, now / 1000);
    expect(verifyWebhookSignature(secret, body, header, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, 300, now + 299_000)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, 300, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, 300, now - 301_000)).toBe(false);
    const rotated = `${header.replace(/v1=\w+/, `v1=${'0'.repeat(64)}`)},${header.split(',')[1]}`;
    expect(verifyWebhookSignature(secret, body, rotated, 300, now)).toBe(true);
  });

  it('refuse malformed headers', () => {
    const header = signWebhookPayload(secret, body, now / 1000);
    for (const bad of [
      undefined,
      null,
      '',
      'garbage',
      header.split(',')[1],
      header.split(',')[0],
      't=x,v1=abc',
    ]) {
      expect(verifyWebhookSignature(secret, body, bad, 300, now), String(bad)).toBe(false);
    }
    expect(verifyWebhookSignature(secret, body, header.replace('v1=', 'v0='), 300, now)).toBe(false);
  });
});
