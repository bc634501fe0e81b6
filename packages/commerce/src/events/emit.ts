import { randomUUID } from 'node:crypto';
import { type JobRow, type Queryable, rows, sql } from '@e3d/db';
import { JOBS_CHANNEL } from '@e3d/jobs';

/** The queue the worker delivers outbound webhooks from. */
export const WEBHOOK_QUEUE = 'webhook.deliver';

/** Order and product events staff can subscribe endpoints to. */
export const EVENT_TYPES = [
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.delivered',
  'order.canceled',
  'order.refunded',
  'product.created',
  'product.updated',
  'product.deleted',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The ping staff send from the admin to check an endpoint. Not in EVENT_TYPES: no endpoint
 * subscribes to it, it only ever goes to the one endpoint it was sent to.
 */
export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * Attempts per delivery job: with the queue's backoff (2 s doubling, capped at 10 min) the
 * last one is about 40 minutes after the first; after that the delivery is `failed` in the
 * log and staff redeliver it.
 */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/** The body every endpoint receives. */
export interface OutboundEvent<T = unknown> {
  id: string;
  type: EventType | typeof TEST_EVENT_TYPE;
  createdAt: string;
  data: T;
}

/**
 * Records `type` for every active endpoint subscribed to it and queues one delivery job each,
 * on the caller's connection: inside the caller's transaction, the event goes out if and only
 * if the change it describes commits. Returns the event id (the same for every endpoint).
 */
export async function emitEvent(conn: Queryable, type: EventType, data: unknown): Promise<string> {
  const id = randomUUID();
  const event: OutboundEvent = { id, type, createdAt: new Date().toISOString(), data };
  const queued = await rows<Pick<JobRow, 'id'>>(
    conn,
    sql`WITH deliveries AS (
          INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload)
          SELECT e.id, ${id}::uuid, ${type}::text, ${JSON.stringify(event)}::jsonb FROM webhook_endpoints e
          WHERE e.active AND (cardinality(e.events) = 0 OR ${type}::text = ANY(e.events))
          RETURNING id
        )
        INSERT INTO jobs (queue, payload, max_attempts)
        SELECT ${WEBHOOK_QUEUE}::text, jsonb_build_object('deliveryId', d.id), ${WEBHOOK_MAX_ATTEMPTS}::int
        FROM deliveries d
        RETURNING id`,
  );
  if (queued.length > 0) await rows(conn, sql`SELECT pg_notify(${JOBS_CHANNEL}, ${WEBHOOK_QUEUE})`);
  return id;
}
