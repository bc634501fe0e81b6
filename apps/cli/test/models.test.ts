import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTriangleGltf } from '@e3d/testing/models';
import { afterAll, describe, expect, it } from 'vitest';
import { e3d, root } from './run-cli.ts';

const MODELS = path.join(root, 'packages/catalog/seed-assets/models');

const dir = mkdtempSync(path.join(tmpdir(), 'e3d-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pnpm e3d models inspect', () => {
  it('prints the figures and the validator summary of a real model', async () => {
    const result = await e3d(['models', 'inspect', path.join(MODELS, 'DamagedHelmet.glb')]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('DamagedHelmet.glb: GLB, 3.60 MiB (3,773,916 bytes)');
    expect(result.stdout).toMatch(/triangles\s+15,452/);
    expect(result.stdout).toMatch(/textures\s+5\n/);
    expect(result.stdout).toMatch(/jpeg\s+2048×2048 .* baseColorTexture/);
    expect(result.stdout).toMatch(/bounding box\s+\d+\.\d{3} × \d+\.\d{3} × \d+\.\d{3} m/);
    expect(result.stdout).toMatch(/validator: valid: 0 errors, 1 warning/);
    expect(result.stdout).toContain('Material requires a tangent space');
  });

  it('--json prints one object with the inspection and the validation', async () => {
    const result = await e3d(['models', 'inspect', '--json', path.join(MODELS, 'DenseSphere.glb')]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      container: 'glb',
      bytes: statSync(path.join(MODELS, 'DenseSphere.glb')).size,
      meshes: 1,
      textures: 0,
      textureList: [],
      animations: 0,
      materialVariants: [],
      extensionsUsed: expect.arrayContaining(['KHR_draco_mesh_compression']),
      validation: { valid: true, errors: 0 },
    });
    expect(json.triangles).toBeGreaterThan(1000);
    expect(json.sizeMetres).toHaveLength(3);
    expect(Array.isArray(json.validation.messages)).toBe(true);
  });

  it('reads a .gltf with its .bin beside it', async () => {
    const file = writeTriangleGltf(dir);
    const result = await e3d(['models', 'inspect', '--json', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      container: 'zip',
      triangles: 1,
      sizeMetres: [1, 1, 0],
    });
  });

  it('a truncated GLB: exit 1 with error corrupt_binary on stderr', async () => {
    const bytes = readFileSync(path.join(MODELS, 'TwoCubes.glb'));
    writeFileSync(path.join(dir, 'truncated.glb'), bytes.subarray(0, bytes.length - 100));
    const result = await e3d(['models', 'inspect', path.join(dir, 'truncated.glb')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error corrupt_binary: corrupt or truncated GLB/m);
    const json = await e3d(['models', 'inspect', '--json', path.join(dir, 'truncated.glb')]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'corrupt_binary' });
  });

  it('a text file: exit 1 with error not_gltf; a missing file: file_not_found', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'not a model\n');
    const text = await e3d(['models', 'inspect', path.join(dir, 'notes.txt')]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^error not_gltf: /m);
    const missing = await e3d(['models', 'inspect', path.join(dir, 'nope.glb')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error file_not_found: /m);
  });
});

describe('pnpm e3d models optimize', () => {
  it('writes the optimized GLB and prints sizes, ratio, time and stats before and after', async () => {
    const out = path.join(dir, 'shapes-web.glb');
    const result = await e3d(['models', 'optimize', path.join(MODELS, 'ShapeCollection.glb'), '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    const after = statSync(out).size;
    expect(result.stdout).toMatch(/\(preset web, [\d,]+ ms\)/);
    expect(result.stdout).toContain(`174,892`);
    expect(result.stdout).toContain(after.toLocaleString('en-US'));
    expect(result.stdout).toMatch(/triangles\s+[\d,]+\s+[\d,]+/);
    expect(result.stdout).toMatch(/before █+/);
    expect(result.stdout).toMatch(/after {2}█/);
    expect(result.stdout).toMatch(/ratio 0\.\d{3} \(\d+\.\d%\)/);
    // The output is a valid model itself.
    const check = await e3d(['models', 'inspect', out]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('KHR_draco_mesh_compression');
  });

  it('--json prints one object; --preset picks the pipeline', async () => {
    const out = path.join(dir, 'helmet-ar.glb');
    const result = await e3d([
      'models',
      'optimize',
      path.join(MODELS, 'DamagedHelmet.glb'),
      '-o',
      out,
      '--preset',
      'ar',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({
      out,
      preset: 'ar',
      bytesBefore: 3_773_916,
      bytesAfter: statSync(out).size,
      before: { triangles: 15_452, textures: 5 },
      after: { triangles: 15_452, textures: 5 },
      validation: { valid: true, errors: 0 },
    });
    expect(json.ratio).toBeCloseTo(json.bytesAfter / json.bytesBefore, 3);
    expect(json.ms).toBeGreaterThan(0);
    expect(json.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.after.textureList.map((t: { mimeType: string }) => t.mimeType)).not.toContain('image/webp');
  });

  it('refuses to overwrite its input, and an unknown preset', async () => {
    const input = path.join(dir, 'cubes.glb');
    copyFileSync(path.join(MODELS, 'TwoCubes.glb'), input);
    const before = readFileSync(input);
    const same = await e3d(['models', 'optimize', input, '-o', path.join(dir, '.', 'cubes.glb')]);
    expect(same.code).toBe(1);
    expect(same.stderr).toMatch(/^error same_file: refusing to overwrite the input/m);
    expect(readFileSync(input).equals(before)).toBe(true);
    const preset = await e3d(['models', 'optimize', input, '-o', path.join(dir, 'x.glb'), '--preset', 'max']);
    expect(preset.code).not.toBe(0);
    expect(preset.stderr).toMatch(/Allowed choices are web, ar, high/);
  });

  it('bad input is refused with its code before optimizing', async () => {
    writeFileSync(path.join(dir, 'fake.glb'), 'hello');
    const result = await e3d([
      'models',
      'optimize',
      path.join(dir, 'fake.glb'),
      '-o',
      path.join(dir, 'y.glb'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error not_gltf: /m);
  });
});
