import {
  addCartLine,
  applyPromotionCode,
  type CartRef,
  type CommerceContext,
  CommerceError,
  checkout,
  isCartId,
  removeCartLine,
  removePromotionCode,
  resolveCart,
  setCartLineQuantity,
  shippingOptions,
  updateCartDetails,
  viewCart,
} from '@e3d/commerce';
import {
  cartDetailsSchema,
  cartLineAddSchema,
  cartLineUpdateSchema,
  cartSchema,
  checkoutInputSchema,
  checkoutResultSchema,
  problemSchema,
  promotionCodeSchema,
  shippingOptionsSchema,
} from '@e3d/contracts';
import type { Connection, Database } from '@e3d/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemDocument } from '../../errors.ts';
import { fingerprint, idempotencyKeyOf, runIdempotent } from '../orders/idempotency.ts';

/** The guest cart's id lives in this cookie (HttpOnly, SameSite=Lax); API clients may send `X-Cart-Id`. */
export const CART_COOKIE = 'e3d_cart';
const CART_HEADER = 'x-cart-id';
const CART_COOKIE_DAYS = 30;

const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};
const tags = ['cart'];

/** Whose cart: the signed-in customer (a broken token is an error, not a guest) and the guest cookie. */
export function cartRef(request: FastifyRequest): CartRef {
  if (request.authError) throw request.authError;
  const header = request.headers[CART_HEADER];
  const cookie = request.cookies?.[CART_COOKIE];
  const cartId =
    (typeof header === 'string' && isCartId(header) ? header : null) ?? (isCartId(cookie) ? cookie : null);
  return { customerId: request.principal?.type === 'customer' ? request.principal.id : null, cartId };
}

function rememberCart(reply: FastifyReply, cartId: string, production: boolean) {
  reply.header(CART_HEADER, cartId);
  reply.setCookie(CART_COOKIE, cartId, {
    httpOnly: true,
    secure: production,
    sameSite: 'lax',
    path: '/',
    maxAge: CART_COOKIE_DAYS * 24 * 60 * 60,
  });
}

/** The storefront's cart and checkout under /api. Every price and total is worked out here. */
export async function cartRoutes(
  app: FastifyInstance,
  { db, commerce }: { db: Database; commerce: CommerceContext },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const production = process.env.NODE_ENV === 'production';
  const view = (conn: Connection | Database, cart: Awaited<ReturnType<typeof resolveCart>>) =>
    viewCart(conn, cart, { assetBaseUrl: commerce.assetBaseUrl });

  /** One cart write in one transaction, answered with the whole repriced cart. */
  const write = async (
    request: FastifyRequest,
    reply: FastifyReply,
    fn: (conn: Connection, cart: NonNullable<Awaited<ReturnType<typeof resolveCart>>>) => Promise<void>,
  ) => {
    const ref = cartRef(request);
    const result = await db.transaction(async (conn) => {
      const cart = await resolveCart(conn, ref, { create: true, forUpdate: true });
      if (!cart) throw new Error('no cart was created');
      await fn(conn, cart);
      const fresh = await resolveCart(conn, { customerId: ref.customerId, cartId: cart.id });
      return view(conn, fresh);
    });
    if (result.id && !ref.customerId) rememberCart(reply, result.id, production);
    return result;
  };

  api.get(
    '/cart',
    { schema: { tags, summary: 'The current cart, priced now', response: { 200: cartSchema, ...problems } } },
    async (request, reply) => {
      const ref = cartRef(request);
      const result = await db.transaction(async (conn) => view(conn, await resolveCart(conn, ref)));
      if (result.id && !ref.customerId) rememberCart(reply, result.id, production);
      return result;
    },
  );

  api.post(
    '/cart/lines',
    {
      schema: {
        tags,
        summary: 'Add a product variant (adds to the quantity already in the cart)',
        body: cartLineAddSchema,
        response: { 200: cartSchema, ...problems },
      },
    },
    (request, reply) =>
      write(request, reply, (conn, cart) =>
        addCartLine(conn, cart, request.body.variantId, request.body.quantity),
      ),
  );

  const variantParams = z.object({ variantId: z.uuid() });

  api.patch(
    '/cart/lines/:variantId',
    {
      schema: {
        tags,
        summary: 'Set a line’s quantity (0 removes it)',
        params: variantParams,
        body: cartLineUpdateSchema,
        response: { 200: cartSchema, ...problems },
      },
    },
    (request, reply) =>
      write(request, reply, (conn, cart) =>
        setCartLineQuantity(conn, cart, request.params.variantId, request.body.quantity),
      ),
  );

  api.delete(
    '/cart/lines/:variantId',
    {
      schema: {
        tags,
        summary: 'Remove a line',
        params: variantParams,
        response: { 200: cartSchema, ...problems },
      },
    },
    (request, reply) =>
      write(request, reply, (conn, cart) => removeCartLine(conn, cart, request.params.variantId)),
  );

  api.put(
    '/cart/promotion',
    {
      schema: {
        tags,
        summary: 'Apply a promotion code',
        description:
          '404 promotion_not_found for an unknown code; 409 promotion_expired / promotion_not_started / promotion_exhausted / promotion_currency_mismatch when it cannot apply. A code whose minimum is not met yet is kept and shown as refused.',
        body: promotionCodeSchema,
        response: { 200: cartSchema, ...problems },
      },
    },
    (request, reply) =>
      write(request, reply, (conn, cart) => applyPromotionCode(conn, cart, request.body.code)),
  );

  api.delete(
    '/cart/promotion',
    { schema: { tags, summary: 'Remove the promotion code', response: { 200: cartSchema, ...problems } } },
    (request, reply) => write(request, reply, (conn, cart) => removePromotionCode(conn, cart)),
  );

  api.patch(
    '/cart',
    {
      schema: {
        tags,
        summary: 'Set the email, shipping address and shipping method (taxes and shipping follow)',
        body: cartDetailsSchema,
        response: { 200: cartSchema, ...problems },
      },
    },
    (request, reply) =>
      write(request, reply, (conn, cart) =>
        updateCartDetails(conn, cart, {
          ...(request.body.email !== undefined ? { email: request.body.email } : {}),
          ...(request.body.shippingAddress !== undefined
            ? { shippingAddress: request.body.shippingAddress }
            : {}),
          ...(request.body.shippingMethodId !== undefined
            ? { shippingMethodId: request.body.shippingMethodId }
            : {}),
        }),
      ),
  );

  api.get(
    '/cart/shipping-options',
    {
      schema: {
        tags,
        summary: 'Shipping methods that reach a country, priced for this cart',
        querystring: z.object({
          country: z
            .string()
            .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
            .transform((c) => c.toUpperCase())
            .optional(),
        }),
        response: { 200: shippingOptionsSchema, ...problems },
      },
    },
    async (request) => {
      const ref = cartRef(request);
      return db.transaction(async (conn) => {
        const cart = await resolveCart(conn, ref);
        const country = request.query.country ?? cart?.shippingAddress?.country;
        if (!country) {
          throw new CommerceError(400, 'country_required', 'Pass ?country= or set a shipping address first.');
        }
        return { items: await shippingOptions(conn, cart, country) };
      });
    },
  );

  api.post(
    '/checkout',
    {
      schema: {
        tags: ['checkout'],
        summary: 'Place the order and pay',
        description:
          'Needs an `Idempotency-Key` header: a retry with the same key and body returns the first answer (header `Idempotent-Replayed: true`) and never creates a second order or charge. 201 with the order (paid, or `payment.status` requires_action with what the browser must do next); 402 payment_declined (the order is canceled, the cart kept); 409 out_of_stock with the items short; 409 cart_empty; 422 idempotency_key_reused.',
        headers: z.looseObject({ 'idempotency-key': z.string().optional() }),
        body: checkoutInputSchema,
        response: {
          201: checkoutResultSchema,
          402: problemSchema,
          422: problemSchema,
          502: problemSchema,
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const ref = cartRef(request);
      const key = idempotencyKeyOf(request);
      const owner = ref.customerId ? `customer:${ref.customerId}` : `cart:${ref.cartId ?? 'none'}`;
      const answer = await runIdempotent(
        db,
        { scope: 'checkout', key: `${owner}:${key}`, fingerprint: fingerprint(request.body) },
        async (progress, save) => {
          const result = await checkout(
            db,
            commerce,
            ref,
            {
              email: request.body.email,
              shippingAddress: request.body.shippingAddress,
              shippingMethodId: request.body.shippingMethodId,
              paymentMethod: request.body.payment.method,
            },
            {
              ...(typeof progress?.orderId === 'string' ? { resumeOrderId: progress.orderId } : {}),
              onOrderCreated: (conn, orderId) => save(conn, { orderId }),
            },
          );
          if (result.outcome === 'declined') {
            return {
              status: 402,
              body: problemDocument(request, {
                status: 402,
                code: 'payment_declined',
                detail: 'The payment was declined; nothing was charged. Try another card.',
                extensions: {
                  declineCode: result.payment.declineCode,
                  orderId: result.order.id,
                  orderNumber: result.order.number,
                },
              }),
            };
          }
          return { status: 201, body: result };
        },
      );
      if (answer.replayed) reply.header('idempotent-replayed', 'true');
      if (answer.status >= 400) {
        return reply
          .status(answer.status)
          .type('application/problem+json')
          .send(JSON.stringify(answer.body) as never);
      }
      return reply.status(201).send(answer.body as z.output<typeof checkoutResultSchema>);
    },
  );
}
