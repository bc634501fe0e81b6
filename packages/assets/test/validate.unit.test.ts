import { describe, expect, it } from 'vitest';
import { type AssetError, validateModel } from '../src/index.ts';
import { caught, loadModel, makeZippedGltf } from './fixtures.ts';

describe('validateModel', () => {
  it('reports DamagedHelmet as valid, with its one warning, triangle count and texture sizes', async () => {
    const report = await validateModel(loadModel('DamagedHelmet.glb'));
    expect(report).toMatchObject({ valid: true, errors: 0, warnings: 1, triangles: 15452, vertices: 14556 });
    expect(report.messages).toEqual([
      {
        code: 'MESH_PRIMITIVE_GENERATED_TANGENT_SPACE',
        message: expect.any(String),
        pointer: '/meshes/0/primitives/0/material',
        severity: 'warning',
      },
    ]);
    expect(report.images).toHaveLength(5);
    for (const image of report.images)
      expect(image).toMatchObject({ mimeType: 'image/jpeg', width: 2048, height: 2048 });
  });

  it.each(['DenseSphere.glb', 'ShapeCollection.glb', 'TwoCubes.glb'])('passes %s', async (name) => {
    const report = await validateModel(loadModel(name));
    expect(report.valid).toBe(true);
    expect(report.triangles).toBeGreaterThan(0);
  });

  it('validation_failed: carries the validator messages (code, message, pointer, severity)', async () => {
    // An accessor claiming 1000 vertices in a buffer that holds 24.
    const bytes = await makeZippedGltf((json) => {
      const [positions] = json.accessors as { count: number }[];
      if (positions) positions.count = 1000;
    });
    const error = (await caught(() => validateModel(bytes))) as AssetError<'validation_failed'>;
    expect(error.code).toBe('validation_failed');
    expect(error.details.errors).toBeGreaterThan(0);
    expect(error.details.messages[0]).toEqual({
      code: 'ACCESSOR_TOO_LONG',
      message: expect.any(String),
      pointer: '/accessors/0',
      severity: 'error',
    });
    // errors come first; the report itself is available without throwing
    const report = await validateModel(bytes, { throwOnError: false });
    expect(report.valid).toBe(false);
    expect(report.messages.filter((m) => m.severity === 'error')).toHaveLength(report.errors);
  });

  it('validation_failed: a GLB with a broken chunk layout', async () => {
    const glb = loadModel('TwoCubes.glb').slice();
    // BIN chunk shortened by 8 bytes while the file length stays right
    const view = new DataView(glb.buffer);
    const binAt = 20 + view.getUint32(12, true);
    view.setUint32(binAt, view.getUint32(binAt, true) - 8, true);
    const error = await caught(() => validateModel(glb));
    expect(error).toMatchObject({ code: 'validation_failed', details: { errors: expect.any(Number) } });
  });

  it('too_many_triangles: over maxTriangles', async () => {
    const error = await caught(() =>
      validateModel(loadModel('DamagedHelmet.glb'), { limits: { maxTriangles: 10_000 } }),
    );
    expect(error).toMatchObject({ code: 'too_many_triangles', details: { triangles: 15452, limit: 10_000 } });
  });

  it('texture_too_large: a texture over maxTexturePixels', async () => {
    const error = await caught(() =>
      validateModel(loadModel('DamagedHelmet.glb'), { limits: { maxTexturePixels: 1024 * 1024 } }),
    );
    expect(error).toMatchObject({
      code: 'texture_too_large',
      details: { pointer: '/images/0', width: 2048, height: 2048, pixels: 2048 * 2048, limit: 1024 * 1024 },
    });
  });
});
