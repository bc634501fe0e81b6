import type { Document } from '@gltf-transform/core';
import { validateBytes } from 'gltf-validator';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type AssetError,
  inspectModel,
  type ModelInspection,
  OPTIMIZE_PRESETS,
  type OptimizeResult,
  optimizeModel,
  sha256Hex,
} from '../src/index.ts';
import { modelIO } from '../src/io.ts';
import { caught, loadModel, makeZippedGltf } from './fixtures.ts';

/** Peak signal-to-noise ratio between two encoded images of the same size, over RGB. */
async function psnr(a: Uint8Array, b: Uint8Array): Promise<number> {
  const [pa, pb] = await Promise.all([a, b].map((img) => sharp(img).removeAlpha().raw().toBuffer()));
  if (!pa || !pb || pa.length !== pb.length) throw new Error('images differ in size');
  let squared = 0;
  for (let i = 0; i < pa.length; i++) squared += ((pa[i] ?? 0) - (pb[i] ?? 0)) ** 2;
  return 10 * Math.log10((255 * 255) / (squared / pa.length));
}

const textureImages = async (glb: Uint8Array) => {
  const document: Document = await (await modelIO()).readBinary(glb);
  return document
    .getRoot()
    .listTextures()
    .map((t) => t.getImage() as Uint8Array);
};

/** Khronos' validator run directly on the output, independent of our wrapper. */
async function expectValidGlb(glb: Uint8Array) {
  const report = await validateBytes(glb, { format: 'glb', writeTimestamp: false, maxIssues: 0 });
  expect(report.issues.messages.filter((m) => m.severity === 0)).toEqual([]);
  expect(report.issues.numErrors).toBe(0);
}

function expectSameShape(after: ModelInspection, before: ModelInspection, toleranceMetres = 0.002) {
  expect(after.triangles).toBe(before.triangles);
  expect(after.meshes).toBe(before.meshes);
  expect(after.materials).toBe(before.materials);
  after.sizeMetres.forEach((v, axis) => {
    expect(Math.abs(v - (before.sizeMetres[axis] ?? 0))).toBeLessThanOrEqual(toleranceMetres);
  });
}

// These tests are of the optimizer itself: never answer them from the suite's asset cache.
beforeAll(() => {
  vi.stubEnv('E3D_ASSET_CACHE_DIR', '');
});
afterAll(() => {
  vi.unstubAllEnvs();
});

describe('optimizeModel on DamagedHelmet (each preset run once, shared by the tests)', () => {
  const helmet = loadModel('DamagedHelmet.glb');
  const results: Partial<Record<'web' | 'ar' | 'high', OptimizeResult>> = {};
  const result = (preset: 'web' | 'ar' | 'high') => results[preset] as OptimizeResult;

  beforeAll(async () => {
    for (const preset of ['web', 'ar', 'high'] as const)
      results[preset] = await optimizeModel(helmet, { preset });
  });

  it('web: at most 40% of the original bytes, Draco + WebP at 2048, and valid', async () => {
    const r = result('web');
    expect(r.preset).toBe('web');
    expect(r.bytesBefore).toBe(helmet.byteLength);
    expect(r.bytesAfter).toBe(r.glb.byteLength);
    expect(r.ratio).toBeLessThanOrEqual(0.4);
    expect(r.hash).toBe(sha256Hex(r.glb));
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.validation).toMatchObject({ valid: true, errors: 0 });
    await expectValidGlb(r.glb);
    expectSameShape(r.after, r.before);
    expect(r.after.extensionsRequired).toEqual(['EXT_texture_webp', 'KHR_draco_mesh_compression']);
    expect(r.after.textureList).toHaveLength(5);
    for (const t of r.after.textureList)
      expect(t).toMatchObject({ mimeType: 'image/webp', width: 2048, height: 2048 });
    // the inspection of the output is the output's, read back from the GLB
    expect(r.after).toEqual(await inspectModel(r.glb));
  });

  it('web: textures keep their fidelity (PSNR ≥ 32 dB against the originals)', async () => {
    const [before, after] = await Promise.all([textureImages(helmet), textureImages(result('web').glb)]);
    expect(after).toHaveLength(before.length);
    for (const [i, image] of before.entries()) {
      expect(await psnr(image, after[i] as Uint8Array)).toBeGreaterThanOrEqual(32);
    }
  });

  it('ar: Draco with JPEG textures (no WebP, no Meshopt, no quantization extension), smaller and valid', async () => {
    const r = result('ar');
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    await expectValidGlb(r.glb);
    expectSameShape(r.after, r.before);
    expect(r.after.extensionsUsed).toEqual(['KHR_draco_mesh_compression']);
    for (const t of r.after.textureList) expect(t).toMatchObject({ mimeType: 'image/jpeg', width: 2048 });
  });

  it('high: Meshopt at 16-bit positions, the JPEG textures byte-for-byte untouched, and valid', async () => {
    const r = result('high');
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    await expectValidGlb(r.glb);
    expectSameShape(r.after, r.before, 0.001);
    expect(r.after.extensionsRequired).toEqual(['EXT_meshopt_compression', 'KHR_mesh_quantization']);
    expect(r.after.textureList.map((t) => t.bytes).sort()).toEqual(
      r.before.textureList.map((t) => t.bytes).sort(),
    );
  });

  it('is deterministic: the same input and preset give the same bytes and hash', async () => {
    const again = await optimizeModel(helmet, { preset: 'high' });
    expect(again.hash).toBe(result('high').hash);
  });
});

describe('optimizeModel on other models', () => {
  it.each(Object.keys(OPTIMIZE_PRESETS) as (keyof typeof OPTIMIZE_PRESETS)[])(
    'DenseSphere (already Draco + quantized) survives the %s preset and validates',
    async (preset) => {
      const r = await optimizeModel(loadModel('DenseSphere.glb'), { preset });
      await expectValidGlb(r.glb);
      expectSameShape(r.after, r.before, 0.001);
      expect(r.after.triangles).toBe(30720);
      // one geometry compression in the output, never two
      const compressions = r.after.extensionsUsed.filter((e) => /draco|meshopt/.test(e));
      expect(compressions).toEqual([
        preset === 'high' ? 'EXT_meshopt_compression' : 'KHR_draco_mesh_compression',
      ]);
    },
  );

  it.each(['ShapeCollection.glb', 'TwoCubes.glb'])('%s comes out smaller and valid (web)', async (name) => {
    const r = await optimizeModel(loadModel(name));
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    await expectValidGlb(r.glb);
    expectSameShape(r.after, r.before);
  });

  it('a zipped multi-file glTF (.gltf + .bin + PNG) becomes one valid GLB', async () => {
    const zipped = await makeZippedGltf();
    const r = await optimizeModel(zipped, { filename: 'cube.zip' });
    await expectValidGlb(r.glb);
    expect(r.before).toMatchObject({ triangles: 12, textures: 1 });
    expect(r.after).toMatchObject({ triangles: 12, textures: 1, materials: 1 });
    expect(r.after.textureList[0]).toMatchObject({ mimeType: 'image/webp', width: 64, height: 64 });
    expect(r.after.sizeMetres).toEqual([0.2, 0.2, 0.2]);
  });

  it('runs a custom list of steps, reported as preset "custom"', async () => {
    const r = await optimizeModel(loadModel('ShapeCollection.glb'), {
      steps: [{ step: 'weld' }, { step: 'compressGeometry', options: { method: 'quantize' } }],
    });
    expect(r.preset).toBe('custom');
    expect(r.after.extensionsUsed).toEqual(['KHR_mesh_quantization']);
    await expectValidGlb(r.glb);
  });

  it('texture_too_large: refuses to decode a texture over maxTexturePixels while optimizing', async () => {
    const error = (await caught(() =>
      optimizeModel(loadModel('DamagedHelmet.glb'), { limits: { maxTexturePixels: 1000 * 1000 } }),
    )) as AssetError<'texture_too_large'>;
    expect(error).toMatchObject({
      code: 'texture_too_large',
      details: { width: 2048, height: 2048, limit: 1_000_000 },
    });
  });
});
