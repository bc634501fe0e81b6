import { type AssetLimits, resolveLimits } from '@e3d/assets';
import type { Config } from '@e3d/config';
import type { Database } from '@e3d/db';
import type { CdnInvalidator, ObjectStore } from '@e3d/storage';
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

export function mediaPipeline(
  deps: { db: Database; store: ObjectStore; cdn?: CdnInvalidator; log?: MediaPipeline['log'] },
  config?: Config,
): MediaPipeline {
  return {
    ...deps,
    limits: config ? assetLimitsFromConfig(config) : resolveLimits({}),
    preset: config?.MODEL_PRESET ?? 'web',
  };
}
