import {
  adminMediaListSchema,
  adminMediaSchema,
  confirmUploadSchema,
  directUploadSchema,
  replaceMediaSchema,
  uploadRequestSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { security } from '../../route-schemas.ts';
import { auditContext } from '../audit/record.ts';
import { mediaParams, uploadProblems as problems, productParams } from './route-schemas.ts';
import type { MediaService } from './uploads.ts';

/** Staff media under /api/admin: direct upload → confirm → watch processing → replace/delete. */
export async function mediaUploadRoutes(
  app: FastifyInstance,
  { service, db }: { service: MediaService; db: Database },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const read = requireStaff(db, 'catalog:read');
  const write = requireStaff(db, 'media:write');

  api.post(
    '/products/:productId/media/uploads',
    {
      onRequest: write,
      schema: {
        tags: ['media'],
        security,
        summary: 'Grant a direct upload (S3 presigned POST, or a signed local URL)',
        description:
          'The grant is limited to the declared content type and byte size and expires in 15 minutes. POST every field, then the file as `file`, to `upload.url`; then confirm.',
        params: productParams,
        body: uploadRequestSchema,
        response: { 201: directUploadSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.grantUpload(request.params.productId, request.body)),
  );

  api.post(
    '/products/:productId/media',
    {
      onRequest: write,
      schema: {
        tags: ['media'],
        security,
        summary: 'Confirm an upload: creates the media and queues its processing',
        description:
          'Answers 202 with the media in state `uploaded`; confirming the same upload again returns it (200).',
        params: productParams,
        body: confirmUploadSchema,
        response: { 200: adminMediaSchema, 202: adminMediaSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { media, created } = await service.confirmUpload(
        auditContext(request),
        request.params.productId,
        request.body,
      );
      return reply.status(created ? 202 : 200).send(media);
    },
  );

  api.get(
    '/products/:productId/media',
    {
      onRequest: read,
      schema: {
        tags: ['media'],
        security,
        summary: "A product's media in every state",
        params: productParams,
        response: { 200: adminMediaListSchema, ...problems },
      },
    },
    async (request) => ({ items: await service.listForProduct(request.params.productId) }),
  );

  api.get(
    '/media/:mediaId',
    {
      onRequest: read,
      schema: {
        tags: ['media'],
        security,
        summary: 'Processing state, stats, sizes before/after and validator messages',
        params: mediaParams,
        response: { 200: adminMediaSchema, ...problems },
      },
    },
    async (request) => service.get(request.params.mediaId),
  );

  api.post(
    '/media/:mediaId/replace',
    {
      onRequest: write,
      schema: {
        tags: ['media'],
        security,
        summary: 'Replace the file (a new upload); the old files are removed once the new one is ready',
        params: mediaParams,
        body: replaceMediaSchema,
        response: { 202: adminMediaSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await service.replace(auditContext(request), request.params.mediaId, request.body.uploadKey)),
  );

  api.delete(
    '/media/:mediaId',
    {
      onRequest: write,
      schema: {
        tags: ['media'],
        security,
        summary:
          'Delete the media and the files no other media uses (content-hashed, so no CDN purge is needed)',
        params: mediaParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await service.delete(auditContext(request), request.params.mediaId);
      return reply.status(204).send(null);
    },
  );
}
