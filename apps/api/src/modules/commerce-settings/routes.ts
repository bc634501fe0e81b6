import {
  promotionCreateSchema,
  promotionListQuerySchema,
  promotionListSchema,
  promotionSchema,
  promotionUpdateSchema,
  shippingMethodCreateSchema,
  shippingMethodListQuerySchema,
  shippingMethodListSchema,
  shippingMethodSchema,
  shippingMethodUpdateSchema,
  shopSettingsSchema,
  shopSettingsUpdateSchema,
  taxRateCreateSchema,
  taxRateListQuerySchema,
  taxRateListSchema,
  taxRateSchema,
  taxRateUpdateSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { problems, security } from '../../route-schemas.ts';
import { auditContext } from '../audit/record.ts';
import { PromotionService } from './promotions.ts';
import { ShippingMethodService } from './shipping-methods.ts';
import { ShopSettingsService } from './shop-settings.ts';
import { TaxRateService } from './tax-rates.ts';

const taxRateParams = z.object({ taxRateId: z.uuid() });
const shippingMethodParams = z.object({ shippingMethodId: z.uuid() });
const promotionParams = z.object({ promotionId: z.uuid() });

/**
 * The shop's commerce settings under /api/admin: money settings, tax table, shipping methods
 * and promotion codes. Staff who handle orders may read them; only owners change them.
 */
export async function commerceSettingsRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const settings = new ShopSettingsService(db);
  const taxRates = new TaxRateService(db);
  const shipping = new ShippingMethodService(db);
  const promotions = new PromotionService(db);
  const read = requireStaff(db, 'orders:read');
  // Every staff role edits or reads prices, so every role may see the shop's currency and tax mode.
  const readShopSettings = requireStaff(db, 'catalog:read');
  const write = requireStaff(db, 'settings:write');
  const tags = ['admin-commerce'];

  // -- shop settings ---------------------------------------------------------------------------

  api.get(
    '/settings/commerce',
    {
      onRequest: readShopSettings,
      schema: {
        tags,
        security,
        summary: 'The shop currency, whether prices include tax, and how long checkout holds stock',
        response: { 200: shopSettingsSchema, ...problems },
      },
    },
    async () => settings.get(),
  );

  api.put(
    '/settings/commerce',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Replace the shop money settings (owners only)',
        body: shopSettingsUpdateSchema,
        response: { 200: shopSettingsSchema, ...problems },
      },
    },
    async (request) => settings.update(auditContext(request), request.body),
  );

  // -- tax rates -------------------------------------------------------------------------------

  api.get(
    '/tax-rates',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'The tax table, by country, then region and category (standard rates first)',
        querystring: taxRateListQuerySchema,
        response: { 200: taxRateListSchema, ...problems },
      },
    },
    async (request) => ({ items: await taxRates.list(request.query) }),
  );

  api.post(
    '/tax-rates',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Add a rate for a country, region or product category',
        description:
          '409 `tax_rate_exists` when the country already has a rate for that region and category.',
        body: taxRateCreateSchema,
        response: { 201: taxRateSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await taxRates.create(auditContext(request), request.body)),
  );

  api.patch(
    '/tax-rates/:taxRateId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        params: taxRateParams,
        body: taxRateUpdateSchema,
        response: { 200: taxRateSchema, ...problems },
      },
    },
    async (request) => taxRates.update(auditContext(request), request.params.taxRateId, request.body),
  );

  api.delete(
    '/tax-rates/:taxRateId',
    {
      onRequest: write,
      schema: { tags, security, params: taxRateParams, response: { 204: z.null(), ...problems } },
    },
    async (request, reply) => {
      await taxRates.delete(auditContext(request), request.params.taxRateId);
      return reply.status(204).send(null);
    },
  );

  // -- shipping methods ------------------------------------------------------------------------

  api.get(
    '/shipping-methods',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Every shipping method in display order',
        querystring: shippingMethodListQuerySchema,
        response: { 200: shippingMethodListSchema, ...problems },
      },
    },
    async (request) => ({ items: await shipping.list(request.query) }),
  );

  api.post(
    '/shipping-methods',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create a shipping method with its rates by destination and weight',
        description: '409 `code_taken` when another method has the code.',
        body: shippingMethodCreateSchema,
        response: { 201: shippingMethodSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await shipping.create(auditContext(request), request.body)),
  );

  api.get(
    '/shipping-methods/:shippingMethodId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        params: shippingMethodParams,
        response: { 200: shippingMethodSchema, ...problems },
      },
    },
    async (request) => shipping.get(request.params.shippingMethodId),
  );

  api.patch(
    '/shipping-methods/:shippingMethodId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Change a shipping method; `rates`, when sent, replace all of its rates',
        params: shippingMethodParams,
        body: shippingMethodUpdateSchema,
        response: { 200: shippingMethodSchema, ...problems },
      },
    },
    async (request) => shipping.update(auditContext(request), request.params.shippingMethodId, request.body),
  );

  api.delete(
    '/shipping-methods/:shippingMethodId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Delete a shipping method (orders keep their copy; carts that chose it choose again)',
        params: shippingMethodParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await shipping.delete(auditContext(request), request.params.shippingMethodId);
      return reply.status(204).send(null);
    },
  );

  // -- promotions ------------------------------------------------------------------------------

  api.get(
    '/promotions',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Promotion codes in code order, with how often each was used',
        querystring: promotionListQuerySchema,
        response: { 200: promotionListSchema, ...problems },
      },
    },
    async (request) => promotions.list(request.query),
  );

  api.post(
    '/promotions',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create a promotion code (stored upper case)',
        description: '409 `code_taken` when another promotion has the code, whatever its case.',
        body: promotionCreateSchema,
        response: { 201: promotionSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await promotions.create(auditContext(request), request.body)),
  );

  api.get(
    '/promotions/:promotionId',
    {
      onRequest: read,
      schema: { tags, security, params: promotionParams, response: { 200: promotionSchema, ...problems } },
    },
    async (request) => promotions.get(request.params.promotionId),
  );

  api.patch(
    '/promotions/:promotionId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Change a promotion; `active: false` retires a code orders have used',
        params: promotionParams,
        body: promotionUpdateSchema,
        response: { 200: promotionSchema, ...problems },
      },
    },
    async (request) => promotions.update(auditContext(request), request.params.promotionId, request.body),
  );

  api.delete(
    '/promotions/:promotionId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Delete a promotion no order has used (409 promotion_in_use otherwise: deactivate it)',
        params: promotionParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await promotions.delete(auditContext(request), request.params.promotionId);
      return reply.status(204).send(null);
    },
  );
}
