import {
  adminMediaListSchema,
  adminMediaSchema,
  materialVariantLinksSchema,
  materialVariantMappingSchema,
  mediaOrderSchema,
  mediaUpdateSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireStaff } from '../../plugins/auth.ts';
import { problems, security } from '../../route-schemas.ts';
import { auditContext } from '../audit/record.ts';
import type { MediaAdminService } from './admin.ts';
import { mediaParams, productParams } from './route-schemas.ts';
import type { MediaService } from './uploads.ts';

/** Arranging existing media under /api/admin: order, alt text, variant, poster, material variants. */
export async function mediaArrangeRoutes(
  app: FastifyInstance,
  { db, service, media }: { db: Database; service: MediaAdminService; media: MediaService },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const read = requireStaff(db, 'catalog:read');
  const write = requireStaff(db, 'media:write');
  const tags = ['media'];

  api.put(
    '/products/:productId/media/order',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: "Set the display order of the product's media",
        params: productParams,
        body: mediaOrderSchema,
        response: { 200: adminMediaListSchema, ...problems },
      },
    },
    async (request) => {
      const { productId } = request.params;
      await service.reorder(auditContext(request), productId, request.body.mediaIds);
      return { items: await media.listForProduct(productId) };
    },
  );

  api.patch(
    '/media/:mediaId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: "Set alt text, the variant the media shows, or a model's poster image",
        description:
          'A poster (models only) must be an image media of the same product that has not failed processing (the storefront uses it once ready): 400 poster_invalid otherwise. Deleting the image clears it.',
        params: mediaParams,
        body: mediaUpdateSchema,
        response: { 200: adminMediaSchema, ...problems },
      },
    },
    async (request) => {
      await service.update(auditContext(request), request.params.mediaId, request.body);
      return media.get(request.params.mediaId);
    },
  );

  api.get(
    '/media/:mediaId/material-variants',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: "A model's material variants and the product variants linked to them",
        params: mediaParams,
        response: { 200: materialVariantMappingSchema, ...problems },
      },
    },
    async (request) => service.materialVariants(request.params.mediaId),
  );

  api.put(
    '/media/:mediaId/material-variants',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Link product variants to material variants of the model (replaces the links)',
        description:
          'Choosing a linked variant in the storefront switches the 3D model to that KHR_materials_variants entry.',
        params: mediaParams,
        body: materialVariantLinksSchema,
        response: { 200: materialVariantMappingSchema, ...problems },
      },
    },
    async (request) =>
      service.setMaterialVariants(auditContext(request), request.params.mediaId, request.body.links),
  );
}
