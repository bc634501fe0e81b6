import type { Document, Transform } from '@gltf-transform/core';
import { createTransform, dequantize, draco, meshopt, quantize } from '@gltf-transform/functions';
import { MeshoptEncoder } from 'meshoptimizer';

export interface CompressGeometryOptions {
  /**
   * `draco`: KHR_draco_mesh_compression, smallest files; read by model-viewer/three.js and
   * Android's Scene Viewer. `meshopt`: EXT_meshopt_compression, fastest to decode and also
   * compresses animation; model-viewer/three.js only. `quantize`: KHR_mesh_quantization alone.
   * `none`: leave vertex data as it is, uncompressed.
   */
  method: 'draco' | 'meshopt' | 'quantize' | 'none';
  /** Bits per position component (14 ≈ 0.1 mm on a 2 m object). */
  quantizePosition: number;
  /** Bits per normal / tangent component. */
  quantizeNormal: number;
  /** Bits per texture coordinate component (12 keeps 2048² textures pixel-exact). */
  quantizeTexcoord: number;
  /** Bits per vertex colour component. */
  quantizeColor: number;
  /** Bits for other attributes (joints/weights are handled by the encoders). */
  quantizeGeneric: number;
}

export const COMPRESS_GEOMETRY_DEFAULTS: Readonly<CompressGeometryOptions> = Object.freeze({
  method: 'draco',
  quantizePosition: 14,
  quantizeNormal: 10,
  quantizeTexcoord: 12,
  quantizeColor: 8,
  quantizeGeneric: 12,
});

const DRACO = 'KHR_draco_mesh_compression';
const MESHOPT = 'EXT_meshopt_compression';
const QUANTIZATION = 'KHR_mesh_quantization';

const extension = (document: Document, name: string) =>
  document
    .getRoot()
    .listExtensionsUsed()
    .find((ext) => ext.extensionName === name);

/**
 * Compresses vertex data with one method. A model that arrives compressed with another method
 * (e.g. Draco in, Meshopt out) is decoded on read and the old extension dropped here, so the
 * output never carries two.
 */
export function compressGeometry(options: Partial<CompressGeometryOptions> = {}): Transform {
  const { method, ...bits } = { ...COMPRESS_GEOMETRY_DEFAULTS, ...options };
  return createTransform('compressGeometry', async (document) => {
    if (method !== 'draco') extension(document, DRACO)?.dispose();
    if (method !== 'meshopt') extension(document, MESHOPT)?.dispose();
    switch (method) {
      case 'draco':
        // Draco quantizes on its own and expects float input.
        if (extension(document, QUANTIZATION)) await document.transform(dequantize());
        await document.transform(draco({ method: 'edgebreaker', ...bits }));
        return;
      case 'meshopt':
        await MeshoptEncoder.ready;
        // 'medium' = lossless encoding after quantization, so the bit counts above are the precision.
        await document.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium', ...bits }));
        return;
      case 'quantize':
        await document.transform(quantize(bits));
        return;
      case 'none':
        return;
    }
  });
}
