import { type AssetLimits, resolveLimits } from '@e3d/assets';
import type { Config } from '@e3d/config';
import type { Database } from '@e3d/db';
import type { CdnInvalidator, ObjectStore } from '@e3d/storage';
import { StorefrontRevalidation } from '../storefront/revalidate.ts';
import type { MediaPipeline } from './process-media.ts';

/** The asset limits staff uploads are held to, from settings. */
export function assetLimitsFromConfig(config: Config): AssetLimits {
  return resolveLimits({
    maxModelBytes: config.MODEL_MAX_BYTES,
    maxTriangles: config.MODEL_MAX_TRIANGLES,
    maxTexturePixels: config.TEXTURE_MAX_PIXELS,
    maxImageBytes: config.IMAGE_MAX_BYTES,
    maxImagePixels: config.IMAGE_MAX_PIXELS,
  });
}

/**
 * The pipeline as settings make it: with them (worker, `e3d import`), media that settles tells
 * the storefront (STOREFRONT_REVALIDATE_URL); without them (library defaults, seed) it does not.
 */
export function mediaPipeline(
  deps: { db: Database; store: ObjectStore; cdn?: CdnInvalidator; log?: MediaPipeline['log'] },
  config?: Config,
): MediaPipeline {
  return {
    ...deps,
    revalidation: StorefrontRevalidation.fromConfig(config),
    limits: config ? assetLimitsFromConfig(config) : resolveLimits({}),
    preset: config?.MODEL_PRESET ?? 'web',
  };
}
