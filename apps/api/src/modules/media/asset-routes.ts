import type { ObjectStore } from '@e3d/storage';
import { StorageKeyError } from '@e3d/storage';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';

/**
 * Serves the object store the way CloudFront serves S3: same paths (`/assets/…`), same
 * Cache-Control and Content-Type, ETag revalidation. Mounted when no CDN is configured (local
 * storage, or S3 without CLOUDFRONT_URL, where asset URLs are built on PUBLIC_API_URL).
 */
export async function assetRoutes(app: FastifyInstance, { store }: { store: ObjectStore }) {
  app.get('/assets/*', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    const key = `assets/${(request.params as { '*': string })['*']}`;
    let object: Awaited<ReturnType<ObjectStore['get']>>;
    try {
      object = await store.get(key);
    } catch (error) {
      if (error instanceof StorageKeyError) object = null;
      else throw error;
    }
    if (!object) throw AppError.notFound('asset_not_found', `No asset at /${key}`);
    reply
      .header('content-type', object.contentType)
      .header('cache-control', object.cacheControl)
      .header('etag', object.etag)
      .header('content-length', object.byteSize)
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin');
    if (request.headers['if-none-match'] === object.etag) {
      object.body.destroy();
      return reply.status(304).send();
    }
    return reply.send(object.body);
  });
}
