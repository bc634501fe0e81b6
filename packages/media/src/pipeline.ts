import { type AssetLimits, type OptimizePresetName, resolveLimits } from '@e3d/assets';
import type { Config } from '@e3d/config';
import type { Connection, Database } from '@e3d/db';
import type { CdnInvalidator, ObjectStore } from '@e3d/storage';

/**
 * Tells whoever shows a product that its served media changed. The storefront's
 * StorefrontRevalidation (@e3d/catalog) is one; it is passed in so this package stays below
 * the catalog, which queues media processing itself.
 */
export interface ProductRevalidation {
  /** Queued on `conn`, in the transaction that changes the media. */
  enqueueProduct(conn: Connection, productId: string): Promise<void>;
}

/** What processing needs: where media rows and files live, and the limits it holds them to. */
export interface MediaPipeline {
  db: Database;
  store: ObjectStore;
  cdn?: CdnInvalidator;
  /** Queues the storefront's revalidation with every settled media of a published product. */
  revalidation?: ProductRevalidation;
  limits: AssetLimits;
  preset: OptimizePresetName;
  log?: (event: Record<string, unknown>) => void;
}

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
 * The pipeline as settings make it (limits, preset), or with the library defaults without them
 * (seed, tests). Media that settles tells `deps.revalidation` when one is given (worker, `e3d import`).
 */
export function mediaPipeline(
  deps: {
    db: Database;
    store: ObjectStore;
    cdn?: CdnInvalidator;
    revalidation?: ProductRevalidation;
    log?: MediaPipeline['log'];
  },
  config?: Config,
): MediaPipeline {
  return {
    ...deps,
    limits: config ? assetLimitsFromConfig(config) : resolveLimits({}),
    preset: config?.MODEL_PRESET ?? 'web',
  };
}
