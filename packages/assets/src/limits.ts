import { UPLOAD_MAX_BYTES } from '@e3d/contracts/limits';

const MiB = 1024 * 1024;

/** Every limit the asset pipeline enforces. Settings (packages/config) override these defaults. */
export interface AssetLimits {
  /** Largest model upload (GLB, .gltf or ZIP) in bytes. */
  maxModelBytes: number;
  /** Most triangles across all meshes of a model (each mesh counted once). */
  maxTriangles: number;
  /** Most pixels (width × height) in one texture of a model. */
  maxTexturePixels: number;
  /** Most pixels (width × height) in an uploaded image; bigger ones are refused before decoding. */
  maxImagePixels: number;
  /** Largest image upload in bytes. */
  maxImageBytes: number;
  /** Most entries (files and folders) in a ZIP upload. */
  maxZipEntries: number;
  /** Most bytes a ZIP upload may expand to, all entries together. */
  maxZipUncompressedBytes: number;
}

export const ASSET_LIMIT_DEFAULTS: Readonly<AssetLimits> = Object.freeze({
  maxModelBytes: UPLOAD_MAX_BYTES.model,
  maxTriangles: 2_000_000,
  maxTexturePixels: 8192 * 8192,
  maxImagePixels: 50_000_000,
  maxImageBytes: UPLOAD_MAX_BYTES.image,
  maxZipEntries: 1000,
  maxZipUncompressedBytes: 256 * MiB,
});

/** Fills the limits a caller left out with the defaults. */
export function resolveLimits(limits?: Partial<AssetLimits>): AssetLimits {
  const resolved = { ...ASSET_LIMIT_DEFAULTS };
  for (const [key, value] of Object.entries(limits ?? {}) as [keyof AssetLimits, number | undefined][]) {
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}
