/**
 * The storefront revalidation lives in @e3d/catalog, where the worker's media pipeline and the
 * import queue it too; the admin catalog's writers keep importing it from here.
 */
export { StorefrontRevalidation } from '@e3d/catalog';
