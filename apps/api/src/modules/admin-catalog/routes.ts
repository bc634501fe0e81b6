import type { StorefrontRevalidation } from '@e3d/catalog';
import type { Config } from '@e3d/config';
import type { Database } from '@e3d/db';
import type { CdnInvalidator, ObjectStore } from '@e3d/storage';
import type { FastifyInstance } from 'fastify';
import { adminProductRoutes } from './product-routes.ts';
import { adminTaxonomyRoutes } from './taxonomy-routes.ts';

export interface AdminCatalogOptions {
  config: Config;
  db: Database;
  store: ObjectStore;
  cdn: CdnInvalidator;
  revalidation: StorefrontRevalidation;
}

/** The staff catalog under /api/admin: products and variants, categories, collections. */
export async function adminCatalogRoutes(app: FastifyInstance, options: AdminCatalogOptions) {
  const { db, revalidation } = options;
  await adminProductRoutes(app, {
    db,
    revalidation,
    files: { db, store: options.store, cdn: options.cdn },
    assetBaseUrl: options.config.assetBaseUrl,
  });
  await adminTaxonomyRoutes(app, { db, revalidation });
}
