import {
  adminProductListQuerySchema,
  adminProductListSchema,
  adminProductSchema,
  adminVariantSchema,
  bulkEditResultSchema,
  bulkEditSchema,
  productCreateSchema,
  productTransitionSchema,
  productTransitions,
  productUpdateSchema,
  productVariantsPutSchema,
  variantUpdateSchema,
} from '@e3d/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { problems, security } from '../../route-schemas.ts';
import { auditContext } from '../audit/record.ts';
import { bulkEdit } from './bulk.ts';
import { ifMatch } from './route-schemas.ts';
import { type AdminCatalogDeps, ProductAdminService } from './service.ts';
import { etag, expectedVersion } from './version.ts';

const productParams = z.object({ productId: z.uuid() });
const variantParams = z.object({ productId: z.uuid(), variantId: z.uuid() });

/** The version a product write expects: body `version` or If-Match (one is required). */
const versionOf = (request: FastifyRequest, body: { version?: number | undefined } | null | undefined) =>
  expectedVersion(body?.version, request.headers['if-match'], true) as number;

/**
 * Staff product editing under /api/admin. Reads need catalog:read, writes catalog:write;
 * the role is checked before the body is even parsed. Every product answer carries its
 * version as ETag.
 */
export async function adminProductRoutes(app: FastifyInstance, deps: AdminCatalogDeps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = new ProductAdminService(deps);
  const read = requireStaff(deps.db, 'catalog:read');
  const write = requireStaff(deps.db, 'catalog:write');
  const tags = ['admin-catalog'];

  api.get(
    '/products',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Products of every status (drafts too), searchable and filterable',
        querystring: adminProductListQuerySchema,
        response: { 200: adminProductListSchema, ...problems },
      },
    },
    async (request) => service.list(request.query),
  );

  api.post(
    '/products',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create a draft product, optionally with options and variants',
        body: productCreateSchema,
        response: { 201: adminProductSchema, ...problems },
      },
    },
    async (request, reply) => {
      const product = await service.create(auditContext(request), request.body);
      return reply.status(201).header('etag', etag(product.version)).send(product);
    },
  );

  api.get(
    '/products/:productId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'One product with options, variants, categories and collections',
        params: productParams,
        response: { 200: adminProductSchema, ...problems },
      },
    },
    async (request, reply) => {
      const product = await service.get(request.params.productId);
      return reply.header('etag', etag(product.version)).send(product);
    },
  );

  api.patch(
    '/products/:productId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Edit handle, title, description, SEO or categories (needs the version)',
        params: productParams,
        headers: ifMatch,
        body: productUpdateSchema,
        response: { 200: adminProductSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { productId } = request.params;
      const version = versionOf(request, request.body);
      const product = await service.update(auditContext(request), productId, version, request.body);
      return reply.header('etag', etag(product.version)).send(product);
    },
  );

  api.delete(
    '/products/:productId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Delete a product and its files (If-Match optional)',
        params: productParams,
        headers: ifMatch,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(undefined, request.headers['if-match'], false);
      await service.delete(auditContext(request), request.params.productId, version);
      return reply.status(204).send(null);
    },
  );

  for (const transition of productTransitions) {
    api.post(
      `/products/:productId/${transition}`,
      {
        onRequest: write,
        schema: {
          tags,
          security,
          summary: {
            publish: 'Publish: shown in the storefront from now (published_at set)',
            unpublish: 'Unpublish: back to draft, hidden from the storefront',
            archive: 'Archive: hidden, kept for history',
          }[transition],
          params: productParams,
          headers: ifMatch,
          body: productTransitionSchema,
          response: { 200: adminProductSchema, ...problems },
        },
      },
      async (request, reply) => {
        const version = versionOf(request, request.body);
        const product = await service.transition(
          auditContext(request),
          request.params.productId,
          version,
          transition,
        );
        return reply.header('etag', etag(product.version)).send(product);
      },
    );
  }

  api.put(
    '/products/:productId/variants',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Replace the options and the whole variant grid (needs the version)',
        description:
          'Variants sent with their `id` are updated in place; others are created; missing ones are deleted (their media stays with the product).',
        params: productParams,
        headers: ifMatch,
        body: productVariantsPutSchema,
        response: { 200: adminProductSchema, ...problems },
      },
    },
    async (request, reply) => {
      const version = versionOf(request, request.body);
      const product = await service.putVariants(
        auditContext(request),
        request.params.productId,
        version,
        request.body,
      );
      return reply.header('etag', etag(product.version)).send(product);
    },
  );

  api.patch(
    '/products/:productId/variants/:variantId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Edit one variant: a cell of the grid (needs the product version)',
        params: variantParams,
        headers: ifMatch,
        body: variantUpdateSchema,
        response: { 200: adminVariantSchema.extend({ productVersion: z.number().int() }), ...problems },
      },
    },
    async (request, reply) => {
      const { productId, variantId } = request.params;
      const version = versionOf(request, request.body);
      const variant = await service.updateVariant(
        auditContext(request),
        productId,
        variantId,
        version,
        request.body,
      );
      return reply.header('etag', etag(variant.productVersion)).send(variant);
    },
  );

  api.post(
    '/products/bulk',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Set price, compare-at price and stock of many variants, by id or SKU',
        description:
          'All or nothing: any row that cannot apply rejects the edit (400 `bulk_rejected`, one error per row, e.g. `rows.3.sku`).',
        body: bulkEditSchema,
        response: { 200: bulkEditResultSchema, ...problems },
      },
    },
    async (request) => bulkEdit(deps.db, deps.revalidation, auditContext(request), request.body.rows),
  );
}
