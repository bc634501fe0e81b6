import { randomUUID } from 'node:crypto';
import {
  type Database,
  type Queryable,
  rows,
  type SQL,
  sql,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '@e3d/db';
import { JOBS_CHANNEL, type JobHandler, PermanentJobError } from '@e3d/jobs';
import { type OutboundEvent, TEST_EVENT_TYPE, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_QUEUE } from './emit.ts';
import { SIGNATURE_HEADER, signWebhookPayload } from './signature.ts';

export * from './signature.ts';

export const WEBHOOK_USER_AGENT = 'ecommerce-3d-webhooks/1';

/** A ping is tried once: its point is to show staff at once whether the endpoint answers. */
const TEST_MAX_ATTEMPTS = 1;

export interface WebhookDeliveryOptions {
  /** The HTTP client (tests); the global fetch by default. */
  fetch?: typeof globalThis.fetch;
  /** The whole attempt, connect to response headers and status (default 10 s). */
  timeoutMs?: number;
  /** The clock the signature timestamp and the log use. */
  now?: () => Date;
}

type DeliveryRow = Pick<WebhookDeliveryRow, 'id' | 'event_id' | 'event_type' | 'payload' | 'status'> &
  Pick<WebhookEndpointRow, 'url' | 'secret' | 'active'>;

type Attempt = { ok: true; status: number } | { ok: false; status: number | null; error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The worker's handler for WEBHOOK_QUEUE: one attempt at one delivery. It POSTs the stored
 * event, signed (see signature.ts), and writes the outcome to the delivery log row.
 *
 * - 2xx: `succeeded`, `delivered_at` set.
 * - Any other status, a timeout, a refused or reset connection: the attempt is logged and the
 *   handler throws, so the queue runs the job again after its backoff; when that was the job's
 *   last attempt the delivery is `failed` (staff can redeliver it).
 * - 410 Gone: the receiver says it will never want this; `failed` at once, no retry.
 * - The endpoint deactivated meanwhile: `failed` with the reason, nothing sent. An endpoint
 *   deleted meanwhile took its deliveries with it: nothing to do.
 *
 * Redirects are not followed (a 3xx is a failed attempt): the signature covers the request
 * sent to the registered URL only. Any http(s) URL is allowed, localhost included (local
 * receivers are legitimate in development); who may register one is limited to
 * `settings:write` staff.
 */
export function webhookJobHandler(db: Database, options: WebhookDeliveryOptions = {}): JobHandler {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  return async (job) => {
    const deliveryId = (job.payload as { deliveryId?: unknown } | null)?.deliveryId;
    if (typeof deliveryId !== 'string' || !UUID.test(deliveryId)) {
      throw new PermanentJobError('webhook job without a valid deliveryId');
    }
    const [row] = await rows<DeliveryRow>(
      db,
      sql`SELECT d.id, d.event_id, d.event_type, d.payload, d.status, e.url, e.secret, e.active
          FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.id = ${deliveryId}`,
    );
    // Deleted with its endpoint, or already settled (a duplicate job): nothing to send.
    if (row?.status !== 'pending') return;
    if (!row.active) {
      await rows(
        db,
        sql`UPDATE webhook_deliveries SET status = 'failed', last_error = ${'endpoint is deactivated: not sent'}
            WHERE id = ${row.id} AND status = 'pending'`,
      );
      return;
    }

    const body = JSON.stringify(row.payload);
    const at = now();
    const attempt = await post(fetchFn, row.url, body, timeoutMs, {
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      'e3d-event-id': row.event_id,
      'e3d-event-type': row.event_type,
      'e3d-delivery-id': row.id,
      [SIGNATURE_HEADER]: signWebhookPayload(row.secret, body, at.getTime() / 1000),
    });

    if (attempt.ok) {
      await rows(
        db,
        sql`UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1,
              last_status_code = ${attempt.status}, last_error = NULL,
              last_attempt_at = ${at.toISOString()}, delivered_at = ${at.toISOString()}
            WHERE id = ${row.id}`,
      );
      return;
    }
    const gone = attempt.status === 410;
    const last = gone || job.attempts >= job.maxAttempts;
    await rows(
      db,
      sql`UPDATE webhook_deliveries SET status = ${last ? 'failed' : 'pending'}::webhook_delivery_status,
            attempts = attempts + 1, last_status_code = ${attempt.status},
            last_error = ${attempt.error.slice(0, 2_000)}, last_attempt_at = ${at.toISOString()}
          WHERE id = ${row.id}`,
    );
    if (gone) throw new PermanentJobError(`${attempt.error} (410 Gone: not retried)`);
    throw new Error(`webhook delivery ${row.id} to ${row.url}: ${attempt.error}`);
  };
}

async function post(
  fetchFn: typeof globalThis.fetch,
  url: string,
  body: string,
  timeoutMs: number,
  headers: Record<string, string>,
): Promise<Attempt> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchFn(url, { method: 'POST', headers, body, redirect: 'manual', signal });
  } catch (error) {
    return { ok: false, status: null, error: describeFetchError(error, timeoutMs) };
  }
  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => {});
    return { ok: true, status: response.status };
  }
  const snippet = await readSnippet(response, 300);
  const location = response.headers.get('location');
  const detail = [location ? `redirect to ${location} (not followed)` : '', snippet]
    .filter(Boolean)
    .join(': ');
  return {
    ok: false,
    status: response.status,
    error: `HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
  };
}

/** The start of an error response's body, for the log; never waits for the whole of it. */
async function readSnippet(response: Response, maxChars: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < maxChars) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body that breaks off: the status is what counts.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, maxChars);
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e?.cause;
  if (cause?.code) {
    const message = cause.message ?? '';
    return message.includes(cause.code) ? message : `${cause.code}: ${message}`;
  }
  return cause?.message ?? e?.message ?? String(error);
}

async function queueJobs(conn: Queryable, statement: SQL): Promise<string[]> {
  const queued = await rows<{ delivery_id: string }>(conn, statement);
  if (queued.length > 0) await rows(conn, sql`SELECT pg_notify(${JOBS_CHANNEL}, ${WEBHOOK_QUEUE})`);
  return queued.map((r) => r.delivery_id);
}

/**
 * Sends a `webhook.test` ping to one endpoint only (whatever it subscribes to), through the
 * same queue and log as real events. On the caller's connection, like emitEvent.
 */
export async function sendTestEvent(
  conn: Queryable,
  endpointId: string,
): Promise<{ eventId: string; deliveryId: string }> {
  const eventId = randomUUID();
  const event: OutboundEvent = {
    id: eventId,
    type: TEST_EVENT_TYPE,
    createdAt: new Date().toISOString(),
    data: { endpointId, message: 'A test event sent from the ecommerce-3d admin.' },
  };
  const [deliveryId] = await queueJobs(
    conn,
    sql`WITH d AS (
          INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload)
          VALUES (${endpointId}::uuid, ${eventId}::uuid, ${TEST_EVENT_TYPE}::text, ${JSON.stringify(event)}::jsonb)
          RETURNING id
        )
        INSERT INTO jobs (queue, payload, max_attempts)
        SELECT ${WEBHOOK_QUEUE}::text, jsonb_build_object('deliveryId', d.id), ${TEST_MAX_ATTEMPTS}::int FROM d
        RETURNING payload->>'deliveryId' AS delivery_id`,
  );
  if (!deliveryId) throw new Error(`no webhook endpoint ${endpointId}`);
  return { eventId, deliveryId };
}

/**
 * Sends a settled (succeeded or failed) delivery again: the same event and body, back to
 * `pending`, with a new job and a fresh set of attempts. False when the delivery does not
 * exist or is still pending (its job is on the way already).
 */
export async function redeliverWebhook(conn: Queryable, deliveryId: string): Promise<boolean> {
  const queued = await queueJobs(
    conn,
    sql`WITH d AS (
          UPDATE webhook_deliveries SET status = 'pending'
          WHERE id = ${deliveryId}::uuid AND status <> 'pending'
          RETURNING id, event_type
        )
        INSERT INTO jobs (queue, payload, max_attempts)
        SELECT ${WEBHOOK_QUEUE}::text, jsonb_build_object('deliveryId', d.id),
               CASE WHEN d.event_type = ${TEST_EVENT_TYPE}::text THEN ${TEST_MAX_ATTEMPTS}::int
                    ELSE ${WEBHOOK_MAX_ATTEMPTS}::int END
        FROM d
        RETURNING payload->>'deliveryId' AS delivery_id`,
  );
  return queued.length > 0;
}
