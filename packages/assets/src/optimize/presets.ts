import type { DedupOptions, PruneOptions, ResampleOptions, WeldOptions } from '@gltf-transform/functions';
import type { CompressGeometryOptions } from './compress-geometry.ts';
import type { CompressTexturesOptions } from './compress-textures.ts';

/** One step of an optimization pipeline: a glTF-Transform verb or one of ours, with its options. */
export type OptimizeStep =
  | { step: 'dedup'; options?: DedupOptions }
  | { step: 'prune'; options?: PruneOptions }
  | { step: 'weld'; options?: WeldOptions }
  | { step: 'resample'; options?: ResampleOptions }
  | { step: 'compressGeometry'; options?: Partial<CompressGeometryOptions> }
  | { step: 'compressTextures'; options?: Partial<CompressTexturesOptions> };

export type OptimizePresetName = 'web' | 'ar' | 'high';

/** Lossless clean-up every preset starts with. */
const CLEANUP: readonly OptimizeStep[] = [
  { step: 'dedup' }, // merge identical accessors, meshes, materials, textures
  { step: 'prune' }, // drop unused nodes, materials, textures, vertex attributes
  { step: 'weld' }, // merge identical vertices, index the geometry
  { step: 'resample' }, // drop redundant animation keyframes
];

/**
 * The presets, as data: each is a named list of steps with every setting spelled out.
 *
 * | preset | geometry                                   | textures                             | for |
 * |--------|--------------------------------------------|--------------------------------------|-----|
 * | web    | Draco edgebreaker; bits pos 14 / normal 10 / uv 12 / colour 8 | WebP q80, max edge 2048   | the product page's `<model-viewer>` (decoders served by the storefront) |
 * | ar     | Draco, same bits                           | keep JPEG/PNG (JPEG q85), max 2048   | Android Scene Viewer: Draco yes, WebP/Meshopt not documented. iOS Quick Look needs USDZ, not made here |
 * | high   | Meshopt (lossless after quantization); bits pos 16 / normal 12 / uv 14 / colour 10 | keep formats and pixels up to 4096; PNG re-compressed losslessly; JPEG untouched | zoom / desktop, archival "as good as the source" |
 */
export const OPTIMIZE_PRESETS: Readonly<Record<OptimizePresetName, readonly OptimizeStep[]>> = Object.freeze({
  web: [
    ...CLEANUP,
    {
      step: 'compressGeometry',
      options: {
        method: 'draco',
        quantizePosition: 14,
        quantizeNormal: 10,
        quantizeTexcoord: 12,
        quantizeColor: 8,
      },
    },
    { step: 'compressTextures', options: { format: 'webp', quality: 80, maxSize: 2048, reencode: true } },
  ],
  ar: [
    ...CLEANUP,
    {
      step: 'compressGeometry',
      options: {
        method: 'draco',
        quantizePosition: 14,
        quantizeNormal: 10,
        quantizeTexcoord: 12,
        quantizeColor: 8,
      },
    },
    { step: 'compressTextures', options: { format: 'keep', quality: 85, maxSize: 2048, reencode: true } },
  ],
  high: [
    ...CLEANUP,
    {
      step: 'compressGeometry',
      options: {
        method: 'meshopt',
        quantizePosition: 16,
        quantizeNormal: 12,
        quantizeTexcoord: 14,
        quantizeColor: 10,
        quantizeGeneric: 14,
      },
    },
    { step: 'compressTextures', options: { format: 'keep', quality: 95, maxSize: 4096, reencode: false } },
  ],
});
