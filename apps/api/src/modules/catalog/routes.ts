import {
  categoryTreeSchema,
  collectionDetailSchema,
  collectionListSchema,
  handleParamsSchema,
  problemSchema,
  productDetailSchema,
  productListQuerySchema,
  productListSchema,
} from '@e3d/contracts';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { CatalogCache } from '../../cache/catalog-cache.ts';
import { AppError } from '../../errors.ts';
import type { CatalogService } from './service.ts';

export interface CatalogRoutesOptions {
  service: CatalogService;
  cache: CatalogCache;
}

/** Browsers and the storefront may reuse a response briefly; the API cache does the rest. */
const PUBLIC_CACHE_CONTROL = 'public, max-age=30, stale-while-revalidate=60';

function sendCached(reply: FastifyReply, result: { body: string | null; hit: boolean }) {
  return reply
    .header('x-cache', result.hit ? 'HIT' : 'MISS')
    .header('cache-control', PUBLIC_CACHE_CONTROL)
    .type('application/json; charset=utf-8')
    .send(result.body);
}

/** Canonical cache key for a query: the same filters in any order share an entry. */
function queryKey(query: Record<string, unknown>): string {
  return Object.keys(query)
    .filter((k) => query[k] !== undefined)
    .sort()
    .map((k) => `${k}=${encodeURIComponent(String(query[k]))}`)
    .join('&');
}

export async function catalogRoutes(app: FastifyInstance, { service, cache }: CatalogRoutesOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const errors = { 400: problemSchema, 404: problemSchema };

  api.get(
    '/products',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List published products',
        description:
          'Cursor-paginated. Filters combine with AND; `category` includes its descendants; prices are minor units.',
        querystring: productListQuerySchema,
        response: { 200: productListSchema, ...errors },
      },
    },
    async (request, reply) => {
      const result = await cache.getOrLoad(`products?${queryKey(request.query)}`, async () =>
        JSON.stringify(await service.listProducts(request.query)),
      );
      return sendCached(reply, result);
    },
  );

  api.get(
    '/products/:handle',
    {
      schema: {
        tags: ['catalog'],
        summary: 'One published product with options, variants, media and breadcrumb',
        params: handleParamsSchema,
        response: { 200: productDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { handle } = request.params;
      const result = await cache.getOrLoad(`product:${handle}`, () => service.getProductDocument(handle));
      if (result.body === null)
        throw AppError.notFound('product_not_found', `No product with handle "${handle}"`);
      return sendCached(reply, result);
    },
  );

  api.get(
    '/categories',
    {
      schema: {
        tags: ['catalog'],
        summary: 'The category tree with published product counts',
        response: { 200: categoryTreeSchema },
      },
    },
    async (_request, reply) => {
      const result = await cache.getOrLoad('categories', async () =>
        JSON.stringify({ items: await service.getCategoryTree() }),
      );
      return sendCached(reply, result);
    },
  );

  api.get(
    '/collections',
    {
      schema: {
        tags: ['catalog'],
        summary: 'All collections, featured first',
        response: { 200: collectionListSchema },
      },
    },
    async (_request, reply) => {
      const result = await cache.getOrLoad('collections', async () =>
        JSON.stringify({ items: await service.listCollections() }),
      );
      return sendCached(reply, result);
    },
  );

  api.get(
    '/collections/:handle',
    {
      schema: {
        tags: ['catalog'],
        summary: 'One collection with its first products in collection order',
        params: handleParamsSchema,
        response: { 200: collectionDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { handle } = request.params;
      const result = await cache.getOrLoad(`collection:${handle}`, async () => {
        const collection = await service.getCollection(handle);
        return collection ? JSON.stringify(collection) : null;
      });
      if (result.body === null) {
        throw AppError.notFound('collection_not_found', `No collection with handle "${handle}"`);
      }
      return sendCached(reply, result);
    },
  );
}
