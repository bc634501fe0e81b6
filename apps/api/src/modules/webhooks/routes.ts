import {
  problemSchema,
  webhookDeliveryListQuerySchema,
  webhookDeliveryListSchema,
  webhookDeliverySchema,
  webhookEndpointCreateSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookEndpointUpdateSchema,
  webhookEndpointWithSecretSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { auditContext } from '../audit/record.ts';
import { WebhookService } from './service.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};
const endpointParams = z.object({ endpointId: z.uuid() });
const deliveryParams = z.object({ endpointId: z.uuid(), deliveryId: z.uuid() });

const SIGNING = `Each request is a POST of the event JSON (\`{ id, type, createdAt, data }\`) with headers
\`e3d-event-id\`, \`e3d-event-type\`, \`e3d-delivery-id\` and
\`e3d-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>\`.
Verify the HMAC over the raw body with the endpoint secret and refuse timestamps more than
5 minutes old. Any 2xx is success; anything else, a timeout (10 s) or a refused connection is
retried with exponential backoff (12 attempts over about 40 minutes); 410 Gone stops at once.
Receivers dedupe on the event id.`;

/** Outbound webhook endpoints and their delivery log under /api/admin. */
export async function webhookRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = new WebhookService(db);
  const read = requireStaff(db, 'orders:read');
  const write = requireStaff(db, 'settings:write');
  const tags = ['webhooks'];

  api.get(
    '/webhooks',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Registered webhook endpoints (secrets are never listed)',
        response: { 200: webhookEndpointListSchema, ...problems },
      },
    },
    async () => ({ items: await service.list() }),
  );

  api.post(
    '/webhooks',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Register an endpoint; the answer holds its signing secret, shown this once',
        description: SIGNING,
        body: webhookEndpointCreateSchema,
        response: { 201: webhookEndpointWithSecretSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.create(auditContext(request), request.body)),
  );

  api.get(
    '/webhooks/:endpointId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        params: endpointParams,
        response: { 200: webhookEndpointSchema, ...problems },
      },
    },
    async (request) => service.get(request.params.endpointId),
  );

  api.patch(
    '/webhooks/:endpointId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Change the URL, description, subscribed events, or (de)activate',
        params: endpointParams,
        body: webhookEndpointUpdateSchema,
        response: { 200: webhookEndpointSchema, ...problems },
      },
    },
    async (request) => service.update(auditContext(request), request.params.endpointId, request.body),
  );

  api.delete(
    '/webhooks/:endpointId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Delete an endpoint and its delivery log',
        params: endpointParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await service.delete(auditContext(request), request.params.endpointId);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/webhooks/:endpointId/rotate-secret',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Replace the signing secret; the answer holds the new one, shown this once',
        description:
          'The old secret stops at once: every attempt from now on, retries included, uses the new one.',
        params: endpointParams,
        response: { 200: webhookEndpointWithSecretSchema, ...problems },
      },
    },
    async (request) => service.rotateSecret(auditContext(request), request.params.endpointId),
  );

  api.get(
    '/webhooks/:endpointId/deliveries',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'The delivery log, newest first',
        description: 'Filter by `status` and `eventType`. Cursor-paginated with `nextCursor`.',
        params: endpointParams,
        querystring: webhookDeliveryListQuerySchema,
        response: { 200: webhookDeliveryListSchema, ...problems },
      },
    },
    async (request) => service.deliveries(request.params.endpointId, request.query),
  );

  api.get(
    '/webhooks/:endpointId/deliveries/:deliveryId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'One delivery: its body and its last attempt',
        params: deliveryParams,
        response: { 200: webhookDeliverySchema, ...problems },
      },
    },
    async (request) => service.delivery(request.params.endpointId, request.params.deliveryId),
  );

  api.post(
    '/webhooks/:endpointId/deliveries/:deliveryId/redeliver',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Send a succeeded or failed delivery again (same event id and body)',
        description:
          '409 `webhook_delivery_pending` while it is pending, `webhook_endpoint_inactive` for a deactivated endpoint.',
        params: deliveryParams,
        response: { 202: webhookDeliverySchema, ...problems },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await service.redeliver(
            auditContext(request),
            request.params.endpointId,
            request.params.deliveryId,
          ),
        ),
  );

  api.post(
    '/webhooks/:endpointId/test',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Send a `webhook.test` ping to this endpoint only',
        description:
          'Queued like any event and signed the same way; tried once. Its delivery (answered) shows the outcome in the log.',
        params: endpointParams,
        response: { 202: webhookDeliverySchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await service.sendTest(auditContext(request), request.params.endpointId)),
  );
}
