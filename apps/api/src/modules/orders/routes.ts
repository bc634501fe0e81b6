import {
  applyPayment,
  applyPaymentWebhook,
  type CommerceContext,
  CommerceError,
  checkOrderAccessToken,
  findOrder,
  listOrders,
  lockOrder,
  orderView,
  runPaymentFollowUp,
} from '@e3d/commerce';
import { orderListSchema, orderSchema, problemSchema } from '@e3d/contracts';
import { type Database, type OrderRow, rows, sql } from '@e3d/db';
import { PaymentError, type TestPaymentProvider, WebhookRejectedError } from '@e3d/payments';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { requireCustomer } from '../../plugins/auth.ts';
import { customerId } from '../accounts/principal.ts';

const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/**
 * Shoppers' orders (their account's, or a guest's through the signed link), checking a payment
 * after the shopper's 3-D Secure step, and the payment provider's webhooks.
 */
export async function orderRoutes(
  app: FastifyInstance,
  {
    db,
    commerce,
    publishableKey,
  }: { db: Database; commerce: CommerceContext; publishableKey?: string | undefined },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['orders'];

  api.get(
    '/me/orders',
    {
      onRequest: requireCustomer(),
      schema: {
        tags,
        security,
        summary: 'My orders, newest first',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(50).default(20),
          cursor: z.string().max(200).optional(),
        }),
        response: { 200: orderListSchema, ...problems },
      },
    },
    async (request) =>
      listOrders(db, {
        customerId: customerId(request),
        limit: request.query.limit,
        cursor: request.query.cursor,
      }),
  );

  api.get(
    '/me/orders/:number',
    {
      onRequest: requireCustomer(),
      schema: {
        tags,
        security,
        summary: 'One of my orders, by its number',
        params: z.object({ number: z.coerce.number().int().positive() }),
        response: { 200: orderSchema, ...problems },
      },
    },
    async (request) => {
      const [row] = await rows<Pick<OrderRow, 'id'>>(
        db,
        sql`SELECT id FROM orders WHERE number = ${request.params.number} AND customer_id = ${customerId(request)}`,
      );
      const order = row ? await findOrder(db, row.id) : null;
      if (!order) throw AppError.notFound('order_not_found', 'You have no order with that number.');
      return orderView(db, order);
    },
  );

  /** A guest's order, with the token from checkout or the order email; its customer may read it too. */
  const readableOrder = async (request: FastifyRequest, orderId: string, token: string | undefined) => {
    const order = await findOrder(db, orderId);
    const owner = request.principal?.type === 'customer' && order?.customer_id === request.principal.id;
    if (!order || !(owner || (token && checkOrderAccessToken(commerce.orderAccessSecret, orderId, token)))) {
      throw AppError.notFound('order_not_found', 'No such order, or the link is not valid.');
    }
    return order;
  };
  const guestParams = z.object({ orderId: z.uuid() });
  const guestQuery = z.object({ token: z.string().max(100).optional() });

  api.get(
    '/orders/:orderId',
    {
      schema: {
        tags,
        summary: 'An order, for the shopper holding its link (`?token=` from checkout or the email)',
        params: guestParams,
        querystring: guestQuery,
        response: { 200: orderSchema, ...problems },
      },
    },
    async (request) =>
      orderView(db, await readableOrder(request, request.params.orderId, request.query.token)),
  );

  api.post(
    '/orders/:orderId/payment/refresh',
    {
      schema: {
        tags,
        summary: 'Ask the payment provider how the payment stands (after the shopper’s 3-D Secure step)',
        params: guestParams,
        querystring: guestQuery,
        response: { 200: orderSchema, 502: problemSchema, ...problems },
      },
    },
    async (request) => {
      const order = await readableOrder(request, request.params.orderId, request.query.token);
      if (!order.payment_id) throw new CommerceError(409, 'no_payment', 'This order has no payment yet.');
      const payment = await commerce.payments.getPayment(order.payment_id).catch((error: unknown) => {
        throw new CommerceError(502, 'payment_provider_unavailable', (error as Error).message);
      });
      return syncPayment(order.id, order.payment_id, payment);
    },
  );

  const syncPayment = async (
    orderId: string,
    paymentId: string,
    payment: Awaited<ReturnType<CommerceContext['payments']['getPayment']>>,
  ) => {
    const followUp = await db.transaction(async (conn) =>
      applyPayment(conn, commerce, await lockOrder(conn, orderId), payment, {
        type: 'provider',
        id: paymentId,
      }),
    );
    await runPaymentFollowUp(db, commerce, orderId, paymentId, followUp);
    const fresh = await findOrder(db, orderId);
    if (!fresh) throw AppError.notFound('order_not_found', 'No such order.');
    return orderView(db, fresh);
  };

  api.get(
    '/payments/config',
    {
      schema: {
        tags: ['payments'],
        summary: 'Which payment provider checkout uses, and what the browser needs for it',
        response: {
          200: z.object({
            provider: z.enum(['test', 'stripe']),
            publishableKey: z.string().nullable(),
            testCards: z.array(z.object({ number: z.string(), outcome: z.string() })),
          }),
        },
      },
    },
    async () => ({
      provider: commerce.payments.name,
      publishableKey: commerce.payments.name === 'stripe' ? (publishableKey ?? null) : null,
      testCards:
        commerce.payments.name === 'test'
          ? [
              { number: '4242 4242 4242 4242', outcome: 'succeeds' },
              { number: '4000 0000 0000 0002', outcome: 'is declined' },
              { number: '4000 0027 6000 3184', outcome: 'asks for 3-D Secure' },
            ]
          : [],
    }),
  );

  if (commerce.payments.name === 'test') {
    const testProvider = commerce.payments as TestPaymentProvider;
    api.post(
      '/orders/:orderId/payment/test-authenticate',
      {
        schema: {
          tags,
          summary: 'Test provider only: pass (or fail) the 3-D Secure challenge of the order’s payment',
          description: 'Stands in for the bank’s challenge page; absent when Stripe is configured.',
          params: guestParams,
          querystring: guestQuery,
          body: z.object({ authenticated: z.boolean().default(true) }).default({ authenticated: true }),
          response: { 200: orderSchema, ...problems },
        },
      },
      async (request) => {
        const order = await readableOrder(request, request.params.orderId, request.query.token);
        if (!order.payment_id) throw new CommerceError(409, 'no_payment', 'This order has no payment yet.');
        const payment = await testProvider
          .confirm(order.payment_id, { authenticated: request.body.authenticated })
          .catch((error: unknown) => {
            if (error instanceof PaymentError)
              throw new CommerceError(409, `payment_${error.code}`, error.message);
            throw error;
          });
        return syncPayment(order.id, order.payment_id, payment);
      },
    );
  }

  // Webhooks are verified over the exact bytes received, so this scope keeps the raw body.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/payments/webhooks/:provider',
      {
        bodyLimit: 512 * 1024,
        schema: {
          tags: ['payments'],
          summary: 'Payment provider webhooks (Stripe, or the test provider)',
          description:
            'Verified by signature over the raw body (400 webhook_signature_invalid / webhook_timestamp_out_of_tolerance when not). An event already applied is acknowledged with `duplicate: true` and changes nothing. 409 unknown_payment asks the provider to retry later.',
          params: z.object({ provider: z.enum(['stripe', 'test']) }),
          response: {
            200: z.object({ received: z.literal(true), duplicate: z.boolean(), result: z.string() }),
            400: problemSchema,
            404: problemSchema,
            409: problemSchema,
          },
        },
      },
      async (request) => {
        if (request.params.provider !== commerce.payments.name) {
          throw AppError.notFound(
            'provider_not_configured',
            `The ${request.params.provider} provider is not in use.`,
          );
        }
        const raw = request.body;
        if (!Buffer.isBuffer(raw)) throw new AppError(400, 'invalid_body', 'Expected a JSON body.');
        let event: ReturnType<CommerceContext['payments']['parseWebhook']>;
        try {
          event = commerce.payments.parseWebhook(raw, request.headers);
        } catch (error) {
          if (error instanceof WebhookRejectedError) {
            throw new AppError(400, `webhook_${error.code}`, error.message);
          }
          throw error;
        }
        const result = await applyPaymentWebhook(db, commerce, event);
        if (result === 'unknown_payment') {
          throw new AppError(409, 'unknown_payment', 'No order has this payment yet; retry later.');
        }
        return { received: true as const, duplicate: result === 'duplicate', result };
      },
    );
  });
}
