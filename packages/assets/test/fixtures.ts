import { existsSync, readFileSync } from 'node:fs';
import { Document, NodeIO } from '@gltf-transform/core';
import { Zip, ZipDeflate, type Zippable, zipSync } from 'fflate';
import sharp from 'sharp';

/**
 * The real third-party models: the seed copies in the repository (wherever the seed lives now),
 * else the shared folder beside the repository that CI also gets.
 */
const MODEL_DIRS = [
  '../../catalog/seed-assets/models/',
  '../../db/seed-assets/models/',
  '../../../../shared/models/',
].map((dir) => new URL(dir, import.meta.url));
export const MODELS =
  MODEL_DIRS.find((dir) => existsSync(new URL('DamagedHelmet.glb', dir))) ?? (MODEL_DIRS[0] as URL);
export const loadModel = (name: string) => new Uint8Array(readFileSync(new URL(name, MODELS)));

export const utf8 = (text: string) => new TextEncoder().encode(text);
export const json = (value: unknown) => utf8(JSON.stringify(value));

/** A small opaque PNG with some structure, so encoders have something to do. */
export async function makePng(width = 64, height = 64): Promise<Uint8Array> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = (x ^ y) & 0xff;
    }
  }
  return new Uint8Array(
    await sharp(pixels, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

export interface MultiFileGltf {
  /** The glTF JSON (uris: `scene.bin`, `textures/albedo.png`). */
  json: Record<string, unknown> & { buffers: { uri?: string }[]; images: { uri?: string }[] };
  bin: Uint8Array;
  png: Uint8Array;
}

/** A textured cube as a .gltf with an external .bin and an external PNG, like an exporter writes. */
export async function makeMultiFileGltf(): Promise<MultiFileGltf> {
  const document = new Document();
  const buffer = document.createBuffer('scene');
  // 24 vertices (4 per face) so each face has its own normal and UVs.
  const positions: number[] = [];
  const normals: number[] = [];
  const uvs: number[] = [];
  const indices: number[] = [];
  const faces: [number[], number[], number[]][] = [
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    [
      [-1, 0, 0],
      [0, 1, 0],
      [0, 0, -1],
    ],
    [
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ],
    [
      [0, -1, 0],
      [0, 0, -1],
      [1, 0, 0],
    ],
    [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ],
    [
      [0, 0, -1],
      [-1, 0, 0],
      [0, 1, 0],
    ],
  ];
  for (const [n, u, v] of faces) {
    const base = positions.length / 3;
    for (const [a, b] of [
      [-1, -1],
      [1, -1],
      [1, 1],
      [-1, 1],
    ] as const) {
      for (let k = 0; k < 3; k++) positions.push(((n[k] ?? 0) + a * (u[k] ?? 0) + b * (v[k] ?? 0)) * 0.1);
      normals.push(...n);
      uvs.push((a + 1) / 2, (b + 1) / 2);
    }
    indices.push(base, base + 1, base + 2, base, base + 2, base + 3);
  }
  const accessor = (type: 'VEC3' | 'VEC2' | 'SCALAR', array: Float32Array | Uint16Array) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  const png = await makePng();
  const texture = document
    .createTexture('albedo')
    .setImage(png)
    .setMimeType('image/png')
    .setURI('textures/albedo.png');
  const material = document.createMaterial('Painted').setBaseColorTexture(texture);
  const prim = document
    .createPrimitive()
    .setAttribute('POSITION', accessor('VEC3', new Float32Array(positions)))
    .setAttribute('NORMAL', accessor('VEC3', new Float32Array(normals)))
    .setAttribute('TEXCOORD_0', accessor('VEC2', new Float32Array(uvs)))
    .setIndices(accessor('SCALAR', new Uint16Array(indices)))
    .setMaterial(material);
  const mesh = document.createMesh('Cube').addPrimitive(prim);
  document.createScene().addChild(document.createNode('Cube').setMesh(mesh));
  const { json: written, resources } = await new NodeIO().writeJSON(document, { basename: 'scene' });
  const bin = resources['scene.bin'];
  if (!bin) throw new Error(`no scene.bin in ${Object.keys(resources).join(', ')}`);
  return { json: written as unknown as MultiFileGltf['json'], bin, png };
}

/** Zips files (path → bytes) the way a user's archiver would, with deflate. */
export const zip = (files: Record<string, Uint8Array>): Uint8Array =>
  zipSync(files as Zippable, { level: 6 });

/**
 * Zips like a streaming archiver (macOS Archive Utility, Java): sizes and CRCs come after each
 * entry's data (data descriptors), not in the local headers.
 */
export function streamingZip(files: Record<string, Uint8Array>): Uint8Array {
  const chunks: Uint8Array[] = [];
  const archive = new Zip((error, chunk) => {
    if (error) throw error;
    chunks.push(chunk);
  });
  for (const [name, data] of Object.entries(files)) {
    const entry = new ZipDeflate(name, { level: 6 });
    archive.add(entry);
    entry.push(data, true);
  }
  archive.end();
  return new Uint8Array(Buffer.concat(chunks));
}

/** A multi-file glTF zipped (in `folder`, e.g. `model/`), optionally with the JSON edited first. */
export async function makeZippedGltf(
  edit?: (json: MultiFileGltf['json']) => void,
  folder = 'model/',
): Promise<Uint8Array> {
  const model = await makeMultiFileGltf();
  edit?.(model.json);
  return zip({
    [`${folder}scene.gltf`]: json(model.json),
    [`${folder}scene.bin`]: model.bin,
    [`${folder}textures/albedo.png`]: model.png,
  });
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
