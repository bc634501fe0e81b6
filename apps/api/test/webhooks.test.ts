import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_TYPES, verifyWebhookSignature, WEBHOOK_QUEUE, webhookJobHandler } from '@e3d/commerce';
import {
  adminProductSchema,
  WEBHOOK_EVENT_TYPES,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointWithSecretSchema,
} from '@e3d/contracts';
import { drain } from '@e3d/jobs';
import {
  type Client,
  client,
  expectRoleMatrix,
  fieldsOf,
  type RouteCase,
  UNKNOWN_ID,
} from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const base = '/api/admin/webhooks';
const WEBHOOK_ROUTES: RouteCase[] = [
  { method: 'GET', url: base, permission: 'orders:read' },
  { method: 'POST', url: base, permission: 'settings:write', body: {} },
  { method: 'GET', url: `${base}/${UNKNOWN_ID}`, permission: 'orders:read' },
  { method: 'PATCH', url: `${base}/${UNKNOWN_ID}`, permission: 'settings:write', body: { active: false } },
  { method: 'DELETE', url: `${base}/${UNKNOWN_ID}`, permission: 'settings:write' },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/rotate-secret`, permission: 'settings:write' },
  { method: 'POST', url: `${base}/${UNKNOWN_ID}/test`, permission: 'settings:write' },
  { method: 'GET', url: `${base}/${UNKNOWN_ID}/deliveries`, permission: 'orders:read' },
  { method: 'GET', url: `${base}/${UNKNOWN_ID}/deliveries/${UNKNOWN_ID}`, permission: 'orders:read' },
  {
    method: 'POST',
    url: `${base}/${UNKNOWN_ID}/deliveries/${UNKNOWN_ID}/redeliver`,
    permission: 'settings:write',
  },
];

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

async function startReceiver() {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '/',
        headers: request.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

it('the contracts list the same event types as @e3d/commerce', () => {
  expect([...WEBHOOK_EVENT_TYPES]).toEqual([...EVENT_TYPES]);
});

describe.each(BACKENDS)('webhooks admin API on %s', (backend) => {
  let api: TestApi;
  let owner: Client;
  let support: Client;
  let editor: Client;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  const send = () => drain(api.db, { [WEBHOOK_QUEUE]: webhookJobHandler(api.db, { timeoutMs: 2_000 }) });
  const create = async (body: object) => {
    const response = await owner('POST', base, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return webhookEndpointWithSecretSchema.parse(response.body);
  };
  const deliveriesOf = async (endpointId: string, query = '') => {
    const response = await support('GET', `${base}/${endpointId}/deliveries${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return webhookDeliveryListSchema.parse(response.body);
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    api = await startTestApi(backend, { seed: false });
    owner = client(api, (await staffToken(api, 'owner')).token);
    support = client(api, (await staffToken(api, 'support')).token);
    editor = client(api, (await staffToken(api, 'catalog_editor')).token);
  });
  beforeEach(async () => {
    await api.db.query('DELETE FROM webhook_endpoints');
    await api.db.query('DELETE FROM jobs WHERE queue = $1', [WEBHOOK_QUEUE]);
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  it('lets each role reach exactly the routes its permissions allow', async () => {
    await expectRoleMatrix(api, WEBHOOK_ROUTES);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, unknown>;
      components: { schemas: object };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        base,
        `${base}/{endpointId}`,
        `${base}/{endpointId}/rotate-secret`,
        `${base}/{endpointId}/test`,
        `${base}/{endpointId}/deliveries`,
        `${base}/{endpointId}/deliveries/{deliveryId}/redeliver`,
      ]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['WebhookEndpoint', 'WebhookEndpointCreate', 'WebhookDelivery']),
    );
  });

  it('shows the secret once, on create; lists and reads show only its last 4 characters', async () => {
    const created = await create({
      url: `${receiver.url}/hooks`,
      description: 'ERP',
      events: ['order.paid'],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      url: `${receiver.url}/hooks`,
      description: 'ERP',
      events: ['order.paid'],
      active: true,
      secretHint: created.secret.slice(-4),
    });
    const listed = await support('GET', base);
    expect(listed.status).toBe(200);
    const list = webhookEndpointListSchema.parse(listed.body);
    expect(list.items.map((e) => e.id)).toEqual([created.id]);
    const fetched = await support('GET', `${base}/${created.id}`);
    expect(webhookEndpointSchema.strict().parse(fetched.body).secretHint).toBe(created.secret.slice(-4));
    for (const body of [listed.body, fetched.body])
      expect(JSON.stringify(body)).not.toContain(created.secret);

    const audit = await api.db.query<{ action: string; after: unknown }>(
      'SELECT action, after FROM audit_log WHERE entity_id = $1',
      [created.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['webhook_endpoint.create']);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it('validates: events from the list, http(s) URLs, something to change (400 naming the field)', async () => {
    const cases: [object, string[]][] = [
      [{ url: receiver.url, events: ['order.shipped'] }, ['events.0']],
      [{ url: receiver.url, events: ['order.paid', 'webhook.test'] }, ['events.1']],
      [{ url: 'ftp://example.com/hook' }, ['url']],
      [{ url: 'not a url' }, ['url']],
      [{ url: 'javascript:alert(1)' }, ['url']],
      [{}, ['url']],
    ];
    for (const [body, fields] of cases) {
      const response = await owner('POST', base, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(response.body), JSON.stringify(body)).toEqual(fields);
    }
    const endpoint = await create({ url: receiver.url });
    expect(endpoint.events).toEqual([]);
    expect(fieldsOf((await owner('PATCH', `${base}/${endpoint.id}`, {})).body)).toEqual(['url']);
    expect(fieldsOf((await owner('PATCH', `${base}/${endpoint.id}`, { events: ['nope'] })).body)).toEqual([
      'events.0',
    ]);
    expect((await owner('PATCH', `${base}/${UNKNOWN_ID}`, { active: false })).status).toBe(404);
    expect((await owner('GET', `${base}/not-a-uuid`)).status).toBe(400);
    expect((await owner('GET', `${base}/${endpoint.id}/deliveries?cursor=bogus`)).status).toBe(400);
  });

  it('support reads but cannot write (403); no token is 401', async () => {
    const endpoint = await create({ url: receiver.url });
    expect((await support('GET', `${base}/${endpoint.id}`)).status).toBe(200);
    for (const [method, url] of [
      ['POST', base],
      ['PATCH', `${base}/${endpoint.id}`],
      ['DELETE', `${base}/${endpoint.id}`],
      ['POST', `${base}/${endpoint.id}/rotate-secret`],
      ['POST', `${base}/${endpoint.id}/test`],
    ] as const) {
      const response = await support(method, url, method === 'DELETE' ? undefined : { url: receiver.url });
      expect(response.status, `${method} ${url}`).toBe(403);
      expect(response.body.code).toBe('forbidden');
    }
    expect((await client(api, undefined)('GET', base)).status).toBe(401);
    expect((await client(api, undefined)('POST', `${base}/${endpoint.id}/test`)).status).toBe(401);
  });

  it('test ping, delivery log, secret rotation and redelivery, end to end', async () => {
    const endpoint = await create({ url: `${receiver.url}/in`, events: ['order.paid'] });
    const other = await create({ url: `${receiver.url}/other` });
    const ping = await owner('POST', `${base}/${endpoint.id}/test`);
    expect(ping.status, JSON.stringify(ping.body)).toBe(202);
    const queued = webhookDeliverySchema.parse(ping.body);
    expect(queued).toMatchObject({ endpointId: endpoint.id, eventType: 'webhook.test', status: 'pending' });
    expect(await send()).toEqual({ succeeded: 1, failed: 0 });

    const [call] = receiver.received as [Received];
    expect(call.path).toBe('/in');
    expect(call.headers['e3d-event-type']).toBe('webhook.test');
    expect(call.headers['e3d-delivery-id']).toBe(queued.id);
    expect(verifyWebhookSignature(endpoint.secret, call.raw, call.headers['e3d-signature'] as string)).toBe(
      true,
    );
    expect((await deliveriesOf(other.id)).items).toEqual([]);
    const log = await deliveriesOf(endpoint.id);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      id: queued.id,
      status: 'succeeded',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
      payload: { id: queued.eventId, type: 'webhook.test' },
    });
    expect(log.items[0]?.deliveredAt).not.toBeNull();
    const one = await support('GET', `${base}/${endpoint.id}/deliveries/${queued.id}`);
    expect(one.body).toMatchObject({ id: queued.id, status: 'succeeded' });
    expect((await support('GET', `${base}/${other.id}/deliveries/${queued.id}`)).status).toBe(404);

    const rotated = await owner('POST', `${base}/${endpoint.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const { secret } = webhookEndpointWithSecretSchema.parse(rotated.body);
    expect(secret).not.toBe(endpoint.secret);
    expect(rotated.body.secretHint).toBe(secret.slice(-4));

    const again = await owner('POST', `${base}/${endpoint.id}/deliveries/${queued.id}/redeliver`);
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body).toMatchObject({ id: queued.id, status: 'pending' });
    const twice = await owner('POST', `${base}/${endpoint.id}/deliveries/${queued.id}/redeliver`);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('webhook_delivery_pending');
    expect(await send()).toEqual({ succeeded: 1, failed: 0 });
    const resent = receiver.received[1] as Received;
    expect(resent.headers['e3d-event-id']).toBe(queued.eventId);
    expect(resent.raw).toBe(call.raw);
    const header = resent.headers['e3d-signature'] as string;
    expect(verifyWebhookSignature(secret, resent.raw, header)).toBe(true);
    expect(verifyWebhookSignature(endpoint.secret, resent.raw, header)).toBe(false);
    expect((await deliveriesOf(endpoint.id)).items[0]).toMatchObject({ status: 'succeeded', attempts: 2 });

    const actions = await api.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE entity_type LIKE 'webhook%' AND (entity_id = $1 OR entity_id = $2) ORDER BY id",
      [endpoint.id, queued.id],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'webhook_endpoint.create',
      'webhook_endpoint.test',
      'webhook_endpoint.rotate_secret',
      'webhook_delivery.redeliver',
    ]);
  });

  it('pages the delivery log newest first, and filters by status', async () => {
    const endpoint = await create({ url: receiver.url });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(webhookDeliverySchema.parse((await owner('POST', `${base}/${endpoint.id}/test`)).body).id);
    }
    await api.db.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1`, [ids[0]]);
    const first = await deliveriesOf(endpoint.id, '?limit=2');
    expect(first.items.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await deliveriesOf(endpoint.id, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((d) => d.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    expect((await deliveriesOf(endpoint.id, '?status=failed')).items.map((d) => d.id)).toEqual([ids[0]]);
    expect((await deliveriesOf(endpoint.id, '?status=pending')).items).toHaveLength(2);
    expect((await support('GET', `${base}/${endpoint.id}/deliveries?status=lost`)).status).toBe(400);
  });

  it('a deactivated endpoint gets no events and refuses pings; delete removes it', async () => {
    const endpoint = await create({ url: receiver.url });
    const patched = await owner('PATCH', `${base}/${endpoint.id}`, {
      active: false,
      events: ['product.updated', 'product.updated'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ active: false, events: ['product.updated'] });
    const ping = await owner('POST', `${base}/${endpoint.id}/test`);
    expect(ping.status).toBe(409);
    expect(ping.body.code).toBe('webhook_endpoint_inactive');
    await editor('POST', '/api/admin/products', { title: 'Quiet lamp' });
    expect((await deliveriesOf(endpoint.id)).items).toEqual([]);

    expect((await owner('DELETE', `${base}/${endpoint.id}`)).status).toBe(204);
    expect((await owner('GET', `${base}/${endpoint.id}`)).status).toBe(404);
    expect((await owner('DELETE', `${base}/${endpoint.id}`)).status).toBe(404);
  });

  it('product writes through the admin API emit product events, only when they commit', async () => {
    const endpoint = await create({ url: receiver.url, events: ['product.created', 'product.updated'] });
    const orders = await create({ url: `${receiver.url}/orders`, events: ['order.paid'] });
    const created = await editor('POST', '/api/admin/products', { title: 'Webhook Lamp' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const product = adminProductSchema.parse(created.body);
    const updated = await editor('PATCH', `/api/admin/products/${product.id}`, {
      version: product.version,
      title: 'Webhook Lamp II',
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    // A stale write is refused and rolls back: no event for it.
    const stale = await editor('PATCH', `/api/admin/products/${product.id}`, {
      version: product.version,
      title: 'Lost update',
    });
    expect(stale.status).toBe(409);

    const log = await deliveriesOf(endpoint.id);
    expect(log.items.map((d) => d.eventType)).toEqual(['product.updated', 'product.created']);
    expect(log.items[0]?.payload).toMatchObject({
      type: 'product.updated',
      data: {
        id: product.id,
        handle: product.handle,
        title: 'Webhook Lamp II',
        status: 'draft',
        version: product.version + 1,
      },
    });
    expect((await deliveriesOf(orders.id)).items).toEqual([]);

    expect(await send()).toEqual({ succeeded: 2, failed: 0 });
    const types = receiver.received.map((c) => c.headers['e3d-event-type']);
    expect(types.sort()).toEqual(['product.created', 'product.updated']);
    for (const call of receiver.received) {
      expect(verifyWebhookSignature(endpoint.secret, call.raw, call.headers['e3d-signature'] as string)).toBe(
        true,
      );
    }

    await owner('PATCH', `${base}/${endpoint.id}`, { events: [] });
    const deleted = await editor('DELETE', `/api/admin/products/${product.id}`);
    expect(deleted.status).toBe(204);
    const latest = (await deliveriesOf(endpoint.id)).items[0];
    expect(latest).toMatchObject({
      eventType: 'product.deleted',
      payload: { data: { id: product.id, title: 'Webhook Lamp II' } },
    });
  });
});
