import type { StorefrontRevalidation } from '@e3d/catalog';
import type { Config } from '@e3d/config';
import type { Database } from '@e3d/db';
import type { CdnInvalidator, ObjectStore } from '@e3d/storage';
import type { FastifyInstance } from 'fastify';
import { MediaAdminService } from './admin.ts';
import { mediaArrangeRoutes } from './admin-routes.ts';
import { uploadLimits } from './grants.ts';
import { mediaUploadRoutes } from './upload-routes.ts';
import { MediaService } from './uploads.ts';

export interface MediaRoutesOptions {
  config: Config;
  db: Database;
  store: ObjectStore;
  cdn: CdnInvalidator;
  revalidation: StorefrontRevalidation;
}

/**
 * Staff media under /api/admin: uploads and their processing state, then arranging the media
 * of a product. Files themselves are served by assetRoutes, and received by localUploadRoutes
 * when storage is the local folder.
 */
export async function mediaRoutes(app: FastifyInstance, options: MediaRoutesOptions) {
  const { db, store, cdn, revalidation } = options;
  const media = new MediaService(db, store, { db, store, cdn }, uploadLimits(options.config), revalidation);
  await mediaUploadRoutes(app, { service: media, db });
  await mediaArrangeRoutes(app, { db, service: new MediaAdminService(db, revalidation), media });
}
