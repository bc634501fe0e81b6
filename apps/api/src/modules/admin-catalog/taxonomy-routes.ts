import type { StorefrontRevalidation } from '@e3d/catalog';
import {
  adminCategorySchema,
  adminCategoryTreeSchema,
  adminCollectionDetailSchema,
  adminCollectionListSchema,
  categoryCreateSchema,
  categoryUpdateSchema,
  collectionCreateSchema,
  collectionProductsSchema,
  collectionUpdateSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { problems, security } from '../../route-schemas.ts';
import { auditContext } from '../audit/record.ts';
import { CategoryAdminService } from './categories.ts';
import { CollectionAdminService } from './collections.ts';

const categoryParams = z.object({ categoryId: z.uuid() });
const collectionParams = z.object({ collectionId: z.uuid() });

/** Categories (a tree) and collections (hand-ordered lists) under /api/admin. */
export async function adminTaxonomyRoutes(
  app: FastifyInstance,
  { db, revalidation }: { db: Database; revalidation: StorefrontRevalidation },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const categories = new CategoryAdminService(db, revalidation);
  const collections = new CollectionAdminService(db, revalidation);
  const read = requireStaff(db, 'catalog:read');
  const write = requireStaff(db, 'catalog:write');
  const tags = ['admin-catalog'];

  api.get(
    '/categories',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'The whole category tree, with product counts of every status',
        response: { 200: adminCategoryTreeSchema, ...problems },
      },
    },
    async () => ({ items: await categories.tree() }),
  );

  api.post(
    '/categories',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create a category (under `parentId`, or at the root)',
        body: categoryCreateSchema,
        response: { 201: adminCategorySchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await categories.create(auditContext(request), request.body)),
  );

  api.get(
    '/categories/:categoryId',
    {
      onRequest: read,
      schema: { tags, security, params: categoryParams, response: { 200: adminCategorySchema, ...problems } },
    },
    async (request) => categories.get(request.params.categoryId),
  );

  api.patch(
    '/categories/:categoryId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Rename, move (never under itself or a descendant) or reorder a category',
        params: categoryParams,
        body: categoryUpdateSchema,
        response: { 200: adminCategorySchema, ...problems },
      },
    },
    async (request) => categories.update(auditContext(request), request.params.categoryId, request.body),
  );

  api.delete(
    '/categories/:categoryId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Delete a category without subcategories (409 category_has_children otherwise)',
        params: categoryParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await categories.delete(auditContext(request), request.params.categoryId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/collections',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Every collection',
        response: { 200: adminCollectionListSchema, ...problems },
      },
    },
    async () => ({ items: await collections.list() }),
  );

  api.post(
    '/collections',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Create a collection',
        body: collectionCreateSchema,
        response: { 201: adminCollectionDetailSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await collections.create(auditContext(request), request.body)),
  );

  api.get(
    '/collections/:collectionId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'One collection with its products in order',
        params: collectionParams,
        response: { 200: adminCollectionDetailSchema, ...problems },
      },
    },
    async (request) => collections.get(request.params.collectionId),
  );

  api.patch(
    '/collections/:collectionId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        params: collectionParams,
        body: collectionUpdateSchema,
        response: { 200: adminCollectionDetailSchema, ...problems },
      },
    },
    async (request) => collections.update(auditContext(request), request.params.collectionId, request.body),
  );

  api.put(
    '/collections/:collectionId/products',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: "Set the collection's products and their order",
        params: collectionParams,
        body: collectionProductsSchema,
        response: { 200: adminCollectionDetailSchema, ...problems },
      },
    },
    async (request) =>
      collections.setProducts(auditContext(request), request.params.collectionId, request.body.productIds),
  );

  api.delete(
    '/collections/:collectionId',
    {
      onRequest: write,
      schema: { tags, security, params: collectionParams, response: { 204: z.null(), ...problems } },
    },
    async (request, reply) => {
      await collections.delete(auditContext(request), request.params.collectionId);
      return reply.status(204).send(null);
    },
  );
}
