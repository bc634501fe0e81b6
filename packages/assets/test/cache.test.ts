import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCachedEntry, writeCachedEntry } from '../src/cache.ts';
import { makeImageVariants, type OptimizeResult, optimizeModel } from '../src/index.ts';
import { loadModel, makePng } from './fixtures.ts';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'e3d-asset-cache-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.entry'));

/** Rewrites the folder's only entry with `ms` changed: a result carrying it was read back, not remade. */
async function markEntry(dir: string, ms: number) {
  const [file] = entries(dir);
  const key = (file as string).replace(/\.entry$/, '');
  const entry = await readCachedEntry<Omit<OptimizeResult, 'glb'>>(dir, key);
  if (!entry) throw new Error('no readable entry');
  await writeCachedEntry(dir, key, { ...entry, meta: { ...entry.meta, ms } });
}

describe('optimized model cache', () => {
  const cubes = loadModel('TwoCubes.glb');

  it('gives a hit the same bytes and report as the run that made it', async () => {
    const cacheDir = freshDir();
    const made = await optimizeModel(cubes, { preset: 'high', cacheDir });
    expect(entries(cacheDir)).toHaveLength(1);
    const uncached = await optimizeModel(cubes, { preset: 'high', cacheDir: false });
    expect(Buffer.from(uncached.glb).equals(Buffer.from(made.glb))).toBe(true);

    await markEntry(cacheDir, 987_654);
    const hit = await optimizeModel(cubes, { preset: 'high', cacheDir });
    expect(hit.ms).toBe(987_654);
    expect(Buffer.from(hit.glb).equals(Buffer.from(made.glb))).toBe(true);
    expect({ ...hit, glb: undefined, ms: 0 }).toEqual({ ...made, glb: undefined, ms: 0 });
    expect(entries(cacheDir)).toHaveLength(1);
  });

  it('misses when the input bytes, the preset or a limit change', async () => {
    const cacheDir = freshDir();
    await optimizeModel(cubes, { preset: 'high', cacheDir });
    await optimizeModel(cubes, { preset: 'web', cacheDir });
    // The last byte, in the binary chunk: other input, still a valid model.
    const changed = new Uint8Array(cubes);
    changed[changed.byteLength - 1] = (changed[changed.byteLength - 1] as number) ^ 1;
    await optimizeModel(changed, { preset: 'high', cacheDir });
    await optimizeModel(cubes, { preset: 'high', cacheDir, limits: { maxTriangles: 1_000_000 } });
    expect(entries(cacheDir)).toHaveLength(4);
  });

  it('treats a damaged entry as a miss and replaces it', async () => {
    const cacheDir = freshDir();
    const made = await optimizeModel(cubes, { preset: 'high', cacheDir });
    const file = path.join(cacheDir, entries(cacheDir)[0] as string);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.byteLength - 10));
    const again = await optimizeModel(cubes, { preset: 'high', cacheDir });
    expect(Buffer.from(again.glb).equals(Buffer.from(made.glb))).toBe(true);
    // Rewritten whole: the entry reads back (its length can differ by the digits of `ms`).
    const key = path.basename(file).replace(/\.entry$/, '');
    const entry = await readCachedEntry<Omit<OptimizeResult, 'glb'>>(cacheDir, key);
    expect(entry?.blobs.map((b) => Buffer.from(b).equals(Buffer.from(made.glb)))).toEqual([true]);
  });

  it('is off without a folder, and off with cacheDir: false even when E3D_ASSET_CACHE_DIR is set', async () => {
    const cacheDir = freshDir();
    const before = process.env.E3D_ASSET_CACHE_DIR;
    process.env.E3D_ASSET_CACHE_DIR = cacheDir;
    try {
      await optimizeModel(cubes, { preset: 'high', cacheDir: false });
      expect(entries(cacheDir)).toHaveLength(0);
      await optimizeModel(cubes, { preset: 'high' });
      expect(entries(cacheDir)).toHaveLength(1);
    } finally {
      if (before === undefined) delete process.env.E3D_ASSET_CACHE_DIR;
      else process.env.E3D_ASSET_CACHE_DIR = before;
    }
  });
});

describe('image renditions cache', () => {
  it('reads renditions back for the same bytes and options, and misses for others', async () => {
    const cacheDir = freshDir();
    const png = await makePng(400, 300);
    const made = await makeImageVariants(png, { widths: [320], cacheDir });
    expect(entries(cacheDir)).toHaveLength(1);
    const hit = await makeImageVariants(png, { widths: [320], cacheDir });
    expect(hit).toEqual(made);
    expect(hit.variants.map((v) => Buffer.from(v.bytes).toString('base64'))).toEqual(
      made.variants.map((v) => Buffer.from(v.bytes).toString('base64')),
    );
    await makeImageVariants(png, { widths: [160], cacheDir });
    await makeImageVariants(png, { widths: [320], quality: { webp: 50 }, cacheDir });
    await makeImageVariants(await makePng(401, 300), { widths: [320], cacheDir });
    expect(entries(cacheDir)).toHaveLength(4);
  });
});
