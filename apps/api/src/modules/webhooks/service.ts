import { newWebhookSecret, redeliverWebhook, sendTestEvent } from '@e3d/commerce';
import type {
  WebhookDelivery,
  WebhookDeliveryListQuery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
  webhookEndpointCreateSchema,
  webhookEndpointUpdateSchema,
} from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, type SQL, sql } from '@e3d/db';
import type { z } from 'zod';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';

type EndpointCreate = z.output<typeof webhookEndpointCreateSchema>;
type EndpointUpdate = z.output<typeof webhookEndpointUpdateSchema>;

const endpointJson = sql`json_build_object(
  'id', e.id,
  'url', e.url,
  'description', e.description,
  'events', to_json(e.events),
  'active', e.active,
  'secretHint', right(e.secret, 4),
  'createdAt', ${iso(sql`e.created_at`)},
  'updatedAt', ${iso(sql`e.updated_at`)})`;

const deliveryJson = sql`json_build_object(
  'id', d.id,
  'endpointId', d.endpoint_id,
  'eventId', d.event_id,
  'eventType', d.event_type,
  'status', d.status,
  'attempts', d.attempts,
  'lastStatusCode', d.last_status_code,
  'lastError', d.last_error,
  'lastAttemptAt', ${iso(sql`d.last_attempt_at`)},
  'deliveredAt', ${iso(sql`d.delivered_at`)},
  'createdAt', ${iso(sql`d.created_at`)},
  'payload', d.payload)`;

async function readEndpoint(conn: Queryable, id: string): Promise<WebhookEndpoint | null> {
  const [row] = await rows<{ doc: WebhookEndpoint }>(
    conn,
    sql`SELECT ${endpointJson} AS doc FROM webhook_endpoints e WHERE e.id = ${id}`,
  );
  return row?.doc ?? null;
}

async function readDelivery(
  conn: Queryable,
  endpointId: string,
  id: string,
): Promise<WebhookDelivery | null> {
  const [row] = await rows<{ doc: WebhookDelivery }>(
    conn,
    sql`SELECT ${deliveryJson} AS doc FROM webhook_deliveries d WHERE d.id = ${id} AND d.endpoint_id = ${endpointId}`,
  );
  return row?.doc ?? null;
}

const endpointNotFound = (id: string) =>
  AppError.notFound('webhook_endpoint_not_found', `No webhook endpoint with id ${id}`);

const endpointInactive = () =>
  new AppError(409, 'webhook_endpoint_inactive', 'The endpoint is deactivated: activate it first.');

/** Keyset cursors over (created_at, id), newest first; microseconds, so no row is skipped. */
const encodeCursor = (createdAt: string, id: string) =>
  Buffer.from(`whd:${createdAt}|${id}`).toString('base64url');

function decodeCursor(raw: string): { createdAt: string; id: string } {
  const match = /^whd:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)\|([0-9a-f-]{36})$/.exec(
    Buffer.from(raw, 'base64url').toString('utf8'),
  );
  if (!match) throw AppError.invalid('cursor', 'is not a cursor this API issued');
  return { createdAt: match[1] as string, id: match[2] as string };
}

/**
 * Webhook endpoints staff register, and their delivery log. Secrets are shown when created or
 * rotated and never again (lists show the last 4 characters); the audit log never holds them.
 */
export class WebhookService {
  private readonly endpoints: AuditedResource<WebhookEndpoint>;

  constructor(private readonly db: Database) {
    this.endpoints = new AuditedResource({
      table: 'webhook_endpoints',
      entity: 'webhook_endpoint',
      read: readEndpoint,
      notFound: endpointNotFound,
      transaction: (fn) => db.orm.transaction(fn),
    });
  }

  async list(): Promise<WebhookEndpoint[]> {
    const found = await rows<{ doc: WebhookEndpoint }>(
      this.db.orm,
      sql`SELECT ${endpointJson} AS doc FROM webhook_endpoints e ORDER BY e.created_at, e.id`,
    );
    return found.map((r) => r.doc);
  }

  get(id: string): Promise<WebhookEndpoint> {
    return this.endpoints.get(this.db.orm, id);
  }

  async create(ctx: AuditContext, input: EndpointCreate): Promise<WebhookEndpointWithSecret> {
    const secret = newWebhookSecret();
    const after = await this.endpoints.create(ctx, async (tx) => {
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO webhook_endpoints (url, description, secret, events, active)
            VALUES (${input.url}, ${input.description}, ${secret},
                    ${sql.param([...new Set(input.events)])}::text[], ${input.active})
            RETURNING id`,
      );
      return row?.id as string;
    });
    return { ...after, secret };
  }

  update(ctx: AuditContext, id: string, input: EndpointUpdate): Promise<WebhookEndpoint> {
    return this.endpoints.update(ctx, id, async (tx) => {
      const events = input.events ? [...new Set(input.events)] : null;
      await rows(
        tx,
        sql`UPDATE webhook_endpoints SET
          url = coalesce(${input.url ?? null}, url),
          description = coalesce(${input.description ?? null}, description),
          events = coalesce(${sql.param(events)}::text[], events),
          active = coalesce(${input.active ?? null}::boolean, active),
          updated_at = now()
        WHERE id = ${id}`,
      );
    });
  }

  /** Deletes the endpoint and its delivery log; jobs still queued for it find nothing to send. */
  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.endpoints.delete(ctx, id);
  }

  /** A new secret, in force at once: attempts from now on (retries included) are signed with it. */
  async rotateSecret(ctx: AuditContext, id: string): Promise<WebhookEndpointWithSecret> {
    const secret = newWebhookSecret();
    const after = await this.endpoints.update(
      ctx,
      id,
      async (tx) => {
        await rows(
          tx,
          sql`UPDATE webhook_endpoints SET secret = ${secret}, updated_at = now() WHERE id = ${id}`,
        );
      },
      { action: 'webhook_endpoint.rotate_secret' },
    );
    return { ...after, secret };
  }

  async deliveries(
    endpointId: string,
    query: WebhookDeliveryListQuery,
  ): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }> {
    await this.get(endpointId);
    const where: SQL[] = [sql`d.endpoint_id = ${endpointId}`];
    if (query.status) where.push(sql`d.status = ${query.status}::webhook_delivery_status`);
    if (query.eventType) where.push(sql`d.event_type = ${query.eventType}`);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      where.push(sql`(d.created_at, d.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
    }
    const found = await rows<{ doc: WebhookDelivery; at: string }>(
      this.db.orm,
      sql`SELECT ${deliveryJson} AS doc,
            to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
          FROM webhook_deliveries d WHERE ${sql.join(where, sql` AND `)}
          ORDER BY d.created_at DESC, d.id DESC LIMIT ${query.limit + 1}`,
    );
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => r.doc),
      nextCursor: found.length > query.limit && last ? encodeCursor(last.at, last.doc.id) : null,
    };
  }

  async delivery(endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await readDelivery(this.db.orm, endpointId, deliveryId);
    if (!delivery) {
      throw AppError.notFound('webhook_delivery_not_found', `No delivery ${deliveryId} for this endpoint`);
    }
    return delivery;
  }

  /** Sends a settled delivery again (same event id and body); 409 while it is still pending. */
  async redeliver(ctx: AuditContext, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.db.orm.transaction(async (tx) => {
      const endpoint = await this.endpoints.lock(tx, endpointId);
      if (!endpoint.active) throw endpointInactive();
      const before = await readDelivery(tx, endpointId, deliveryId);
      if (!before) {
        throw AppError.notFound('webhook_delivery_not_found', `No delivery ${deliveryId} for this endpoint`);
      }
      if (!(await redeliverWebhook(tx, deliveryId))) {
        throw new AppError(
          409,
          'webhook_delivery_pending',
          'The delivery is still pending: its next attempt is already queued.',
        );
      }
      const after = (await readDelivery(tx, endpointId, deliveryId)) as WebhookDelivery;
      const summary = ({ payload: _, ...rest }: WebhookDelivery) => rest;
      await recordAudit(tx, {
        ...ctx,
        action: 'webhook_delivery.redeliver',
        entityType: 'webhook_delivery',
        entityId: deliveryId,
        before: summary(before),
        after: summary(after),
      });
      return after;
    });
  }

  /** Queues a `webhook.test` ping to this endpoint only; the delivery log shows how it went. */
  async sendTest(ctx: AuditContext, endpointId: string): Promise<WebhookDelivery> {
    return this.db.orm.transaction(async (tx) => {
      const endpoint = await this.endpoints.lock(tx, endpointId);
      if (!endpoint.active) throw endpointInactive();
      const { eventId, deliveryId } = await sendTestEvent(tx, endpointId);
      await recordAudit(tx, {
        ...ctx,
        action: 'webhook_endpoint.test',
        entityType: 'webhook_endpoint',
        entityId: endpointId,
        before: null,
        after: { deliveryId, eventId },
      });
      return (await readDelivery(tx, endpointId, deliveryId)) as WebhookDelivery;
    });
  }
}
