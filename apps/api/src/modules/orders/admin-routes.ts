import {
  type Actor,
  adminOrderView,
  type CommerceContext,
  cancelOrder,
  captureOrder,
  fulfilOrder,
  getOrder,
  listOrders,
  markDelivered,
  refundOrder,
  resendOrderEmail,
} from '@e3d/commerce';
import {
  adminOrderQuerySchema,
  adminOrderSchema,
  cancelInputSchema,
  captureInputSchema,
  fulfilInputSchema,
  orderListSchema,
  problemSchema,
  refundInputSchema,
  resendEmailInputSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { auditContext, recordAudit } from '../audit/record.ts';
import { fingerprint, runIdempotent } from './idempotency.ts';

const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  422: problemSchema,
  502: problemSchema,
};
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const params = z.object({ orderId: z.uuid() });

/** Staff's order desk under /api/admin: find orders and act on them. Every action is audited. */
export async function adminOrderRoutes(
  app: FastifyInstance,
  { db, commerce }: { db: Database; commerce: CommerceContext },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const read = requireStaff(db, 'orders:read');
  const write = requireStaff(db, 'orders:write');
  const tags = ['admin-orders'];

  const actorOf = (request: FastifyRequest): Actor => ({
    type: 'staff',
    id: auditContext(request).principal.id,
  });
  const view = async (orderId: string) => adminOrderView(db, await getOrder(db, orderId));

  /** Runs the action, then records it in the audit log with the order before and after. */
  const act = async (
    request: FastifyRequest,
    orderId: string,
    action: string,
    run: () => Promise<unknown>,
  ) => {
    const before = await view(orderId);
    const detail = await run();
    const after = await view(orderId);
    await recordAudit(db, {
      ...auditContext(request),
      action: `order.${action}`,
      entityType: 'order',
      entityId: orderId,
      before: {
        status: before.status,
        paymentStatus: before.paymentStatus,
        amountRefunded: before.amountRefunded,
      },
      after: {
        status: after.status,
        paymentStatus: after.paymentStatus,
        amountRefunded: after.amountRefunded,
        ...(detail && typeof detail === 'object' ? detail : {}),
      },
    });
    return after;
  };

  api.get(
    '/orders',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary:
          'Orders, newest first: filter by status, payment status, customer, dates; search by number, email or name',
        querystring: adminOrderQuerySchema,
        response: { 200: orderListSchema, ...problems },
      },
    },
    async (request) => listOrders(db, request.query),
  );

  api.get(
    '/orders/:orderId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'An order with its lines, refunds and history',
        params,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request) => view(request.params.orderId),
  );

  api.post(
    '/orders/:orderId/capture',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Capture an authorized payment (manual capture), fully or partly',
        params,
        body: captureInputSchema,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request) =>
      act(request, request.params.orderId, 'capture', () =>
        captureOrder(db, commerce, request.params.orderId, actorOf(request), request.body.amount),
      ),
  );

  api.post(
    '/orders/:orderId/refunds',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Refund through the payment provider, fully or partly',
        description:
          'Send an `Idempotency-Key` header to make retries safe: the same key and body refund once and replay the first answer. 409 refund_exceeds_captured names what is left.',
        params,
        body: refundInputSchema,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { orderId } = request.params;
      const run = () =>
        act(request, orderId, 'refund', () =>
          refundOrder(db, commerce, orderId, actorOf(request), {
            amount: request.body.amount,
            reason: request.body.reason,
          }),
        );
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string' || !key) return run();
      const answer = await runIdempotent(
        db,
        { scope: `refund:${orderId}`, key, fingerprint: fingerprint(request.body) },
        async () => ({ status: 200, body: await run() }),
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      return answer.body as z.output<typeof adminOrderSchema>;
    },
  );

  api.post(
    '/orders/:orderId/fulfil',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Mark shipped with tracking (captures an authorized payment first) and email the shopper',
        params,
        body: fulfilInputSchema,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request) =>
      act(request, request.params.orderId, 'fulfil', () =>
        fulfilOrder(db, commerce, request.params.orderId, actorOf(request), {
          number: request.body.trackingNumber,
          carrier: request.body.carrier,
          url: request.body.trackingUrl,
        }),
      ),
  );

  api.post(
    '/orders/:orderId/deliver',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Mark delivered',
        params,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request) =>
      act(request, request.params.orderId, 'deliver', () =>
        markDelivered(db, request.params.orderId, actorOf(request)),
      ),
  );

  api.post(
    '/orders/:orderId/cancel',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Cancel an order that has not shipped: void or refund the payment, put the stock back',
        params,
        body: cancelInputSchema,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request) =>
      act(request, request.params.orderId, 'cancel', () =>
        cancelOrder(db, commerce, request.params.orderId, actorOf(request), request.body.reason),
      ),
  );

  api.post(
    '/orders/:orderId/resend-email',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Send an order email again',
        params,
        body: resendEmailInputSchema,
        response: { 200: adminOrderSchema, ...problems },
      },
    },
    async (request) =>
      act(request, request.params.orderId, 'resend_email', async () => {
        await resendOrderEmail(db, commerce, request.params.orderId, request.body.kind);
        return { email: request.body.kind };
      }),
  );
}
