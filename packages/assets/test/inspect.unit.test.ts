import { Document, Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS, KHRMaterialsVariants } from '@gltf-transform/extensions';
import { meshopt } from '@gltf-transform/functions';
import { MeshoptEncoder } from 'meshoptimizer';
import { describe, expect, it } from 'vitest';
import { AssetError, inspectModel } from '../src/index.ts';
import { loadModel } from './fixtures.ts';

const load = loadModel;

// ---- An independent reading of the GLB's JSON chunk, to cross-check the library. ----

interface GltfJson {
  accessors: { count: number; componentType: number; normalized?: boolean; min?: number[]; max?: number[] }[];
  meshes: { primitives: { mode?: number; indices?: number; attributes: Record<string, number> }[] }[];
  nodes: {
    mesh?: number;
    translation?: number[];
    rotation?: number[];
    scale?: number[];
    children?: number[];
  }[];
  scenes: { nodes: number[] }[];
  scene?: number;
  materials?: unknown[];
  textures?: unknown[];
  animations?: unknown[];
  extensionsUsed?: string[];
}

function glbJson(bytes: Uint8Array): GltfJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(view.getUint32(0, true)).toBe(0x46546c67); // 'glTF'
  const chunkLength = view.getUint32(12, true);
  expect(view.getUint32(16, true)).toBe(0x4e4f534a); // 'JSON'
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + chunkLength))) as GltfJson;
}

function handCount(json: GltfJson) {
  let triangles = 0;
  let vertices = 0;
  for (const mesh of json.meshes) {
    for (const prim of mesh.primitives) {
      const position = json.accessors[prim.attributes.POSITION as number];
      if (!position) throw new Error('primitive without POSITION');
      vertices += position.count;
      const mode = prim.mode ?? 4;
      const count = prim.indices === undefined ? position.count : (json.accessors[prim.indices]?.count ?? 0);
      if (mode === 4) triangles += count / 3;
      else if (mode === 5 || mode === 6) triangles += count - 2;
    }
  }
  return { triangles, vertices };
}

/** Normalised integer accessors (KHR_mesh_quantization) map onto [-1, 1] / [0, 1]. */
function dequantize(value: number, componentType: number, normalized: boolean | undefined): number {
  if (!normalized) return value;
  const max: Record<number, number> = { 5120: 127, 5121: 255, 5122: 32767, 5123: 65535 };
  return Math.max(value / (max[componentType] ?? 1), -1);
}

function rotate([x, y, z]: number[], [qx, qy, qz, qw]: number[]): number[] {
  // v' = v + 2w(q×v) + 2q×(q×v)
  const [a = 0, b = 0, c = 0, w = 1] = [qx, qy, qz, qw];
  const [vx = 0, vy = 0, vz = 0] = [x, y, z];
  const tx = 2 * (b * vz - c * vy);
  const ty = 2 * (c * vx - a * vz);
  const tz = 2 * (a * vy - b * vx);
  return [vx + w * tx + (b * tz - c * ty), vy + w * ty + (c * tx - a * tz), vz + w * tz + (a * ty - b * tx)];
}

/** World bounding box of a flat scene (root nodes only, as in the fixtures) from accessor min/max. */
function handSize(json: GltfJson): number[] {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const scene = json.scenes[json.scene ?? 0];
  for (const index of scene?.nodes ?? []) {
    const node = json.nodes[index];
    expect(node?.children ?? []).toEqual([]);
    if (node?.mesh === undefined) continue;
    for (const prim of json.meshes[node.mesh]?.primitives ?? []) {
      const acc = json.accessors[prim.attributes.POSITION as number];
      if (!acc?.min || !acc.max) throw new Error('POSITION without min/max');
      const lo = acc.min.map((v) => dequantize(v, acc.componentType, acc.normalized));
      const hi = acc.max.map((v) => dequantize(v, acc.componentType, acc.normalized));
      for (let corner = 0; corner < 8; corner++) {
        const p = [0, 1, 2].map((axis) => ((corner >> axis) & 1 ? hi[axis] : lo[axis]) ?? 0);
        const scaled = p.map((v, axis) => v * (node.scale?.[axis] ?? 1));
        const turned = rotate(scaled, node.rotation ?? [0, 0, 0, 1]);
        const moved = turned.map((v, axis) => v + (node.translation?.[axis] ?? 0));
        for (let axis = 0; axis < 3; axis++) {
          min[axis] = Math.min(min[axis] ?? Infinity, moved[axis] ?? 0);
          max[axis] = Math.max(max[axis] ?? -Infinity, moved[axis] ?? 0);
        }
      }
    }
  }
  return [0, 1, 2].map((axis) => (max[axis] ?? 0) - (min[axis] ?? 0));
}

describe('inspectModel on the seed models', () => {
  it.each(['DamagedHelmet.glb', 'ShapeCollection.glb', 'TwoCubes.glb', 'DenseSphere.glb'])(
    '%s agrees with a hand parse of its glTF JSON',
    async (name) => {
      const bytes = load(name);
      const json = glbJson(bytes);
      const stats = await inspectModel(bytes);
      const hand = handCount(json);
      expect(stats.triangles).toBe(hand.triangles);
      expect(Number.isInteger(stats.triangles)).toBe(true);
      expect(stats.vertices).toBe(hand.vertices);
      expect(stats.meshes).toBe(json.meshes.length);
      expect(stats.materials).toBe(json.materials?.length ?? 0);
      expect(stats.textures).toBe(json.textures?.length ?? 0);
      expect(stats.animations).toBe(json.animations?.length ?? 0);
      expect(stats.extensionsUsed).toEqual([...(json.extensionsUsed ?? [])].sort());
      const size = handSize(json);
      stats.sizeMetres.forEach((v, axis) => {
        expect(Math.abs(v - (size[axis] ?? 0))).toBeLessThanOrEqual(0.0015);
        // rounded to the millimetre
        expect(Math.round(v * 1000)).toBeCloseTo(v * 1000, 6);
      });
      expect(stats.materialVariants).toEqual([]);
    },
  );

  it('reads DamagedHelmet: 1 mesh, 5 textures, 15452 triangles, about 1.9 x 1.8 x 2.0 m', async () => {
    const stats = await inspectModel(load('DamagedHelmet.glb'));
    expect(stats).toMatchObject({
      triangles: 46356 / 3,
      vertices: 14556,
      meshes: 1,
      materials: 1,
      textures: 5,
      animations: 0,
      sizeMetres: [1.89, 1.802, 2],
      materialVariants: [],
      extensionsUsed: [],
    });
    expect(stats.textureList).toHaveLength(5);
    for (const texture of stats.textureList) {
      expect(texture).toMatchObject({ mimeType: 'image/jpeg', width: 2048, height: 2048 });
      expect(texture.bytes).toBeGreaterThan(10_000);
      expect(texture.slots).toHaveLength(1);
    }
    expect(stats.textureList.flatMap((t) => t.slots).sort()).toEqual([
      'baseColorTexture',
      'emissiveTexture',
      'metallicRoughnessTexture',
      'normalTexture',
      'occlusionTexture',
    ]);
  });

  it('decodes the Draco-compressed DenseSphere', async () => {
    const stats = await inspectModel(load('DenseSphere.glb'));
    expect(stats.extensionsUsed).toContain('KHR_draco_mesh_compression');
    expect(stats.extensionsRequired).toContain('KHR_draco_mesh_compression');
    expect(stats.triangles).toBe(92160 / 3);
    expect(stats.vertices).toBe(15362);
    // an icosphere of radius ~0.93 m
    for (const v of stats.sizeMetres) expect(v).toBeGreaterThan(1.8);
    for (const v of stats.sizeMetres) expect(v).toBeLessThan(1.9);
  });

  it('counts a mesh used by two nodes once, but sizes the scene with both instances', async () => {
    const stats = await inspectModel(load('ShapeCollection.glb'));
    expect(stats.meshes).toBe(6);
    expect(stats.nodes).toBe(7);
    expect(stats.sizeMetres).toEqual([14.5, 2, 2.5]);
  });
});

describe('inspectModel on generated models', () => {
  it('decodes EXT_meshopt_compression', async () => {
    await MeshoptEncoder.ready;
    const io = new NodeIO().registerExtensions(ALL_EXTENSIONS).registerDependencies({
      'meshopt.encoder': MeshoptEncoder,
    });
    const original = await inspectModel(load('ShapeCollection.glb'));
    const document = await io.readBinary(load('ShapeCollection.glb'));
    document.setLogger(new Logger(Logger.Verbosity.SILENT));
    await document.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium' }));
    const compressed = await io.writeBinary(document);
    const stats = await inspectModel(compressed);
    expect(stats.extensionsUsed).toContain('EXT_meshopt_compression');
    expect(stats.triangles).toBe(original.triangles);
    expect(stats.meshes).toBe(original.meshes);
    stats.sizeMetres.forEach((v, axis) => {
      expect(v).toBeCloseTo(original.sizeMetres[axis] ?? 0, 2);
    });
  });

  it('lists KHR_materials_variants names in order', async () => {
    const document = new Document();
    const buffer = document.createBuffer();
    const position = document
      .createAccessor()
      .setType('VEC3')
      .setArray(new Float32Array([0, 0, 0, 0.2, 0, 0, 0, 0.3, 0]))
      .setBuffer(buffer);
    const walnut = document.createMaterial('Walnut');
    const oak = document.createMaterial('Oak');
    const prim = document.createPrimitive().setAttribute('POSITION', position).setMaterial(walnut);
    const mesh = document.createMesh().addPrimitive(prim);
    document.createScene().addChild(document.createNode().setMesh(mesh));
    const ext = document.createExtension(KHRMaterialsVariants);
    const vWalnut = ext.createVariant('Walnut');
    const vOak = ext.createVariant('Oak');
    const mapping = ext.createMappingList();
    mapping.addMapping(ext.createMapping().setMaterial(walnut).addVariant(vWalnut));
    mapping.addMapping(ext.createMapping().setMaterial(oak).addVariant(vOak));
    prim.setExtension('KHR_materials_variants', mapping);
    const bytes = await new NodeIO().registerExtensions(ALL_EXTENSIONS).writeBinary(document);

    const stats = await inspectModel(bytes);
    expect(stats.materialVariants).toEqual(['Walnut', 'Oak']);
    expect(stats.extensionsUsed).toEqual(['KHR_materials_variants']);
    expect(stats).toMatchObject({
      triangles: 1,
      vertices: 3,
      meshes: 1,
      materials: 2,
      sizeMetres: [0.2, 0.3, 0],
    });
  });

  it('reads a self-contained glTF JSON file', async () => {
    const document = new Document();
    const buffer = document.createBuffer();
    const position = document
      .createAccessor()
      .setType('VEC3')
      .setArray(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0]))
      .setBuffer(buffer);
    const indices = document
      .createAccessor()
      .setType('SCALAR')
      .setArray(new Uint16Array([0, 1, 2, 2, 1, 3]))
      .setBuffer(buffer);
    const mesh = document
      .createMesh()
      .addPrimitive(document.createPrimitive().setAttribute('POSITION', position).setIndices(indices));
    document.createScene().addChild(document.createNode().setMesh(mesh));
    const io = new NodeIO();
    const { json, resources } = await io.writeJSON(document);
    const [uri, data] = Object.entries(resources)[0] ?? [];
    if (!uri || !data) throw new Error('no buffer written');
    const embedded = json.buffers?.find((b) => b.uri === uri);
    if (!embedded) throw new Error('buffer not referenced');
    embedded.uri = `data:application/octet-stream;base64,${Buffer.from(data).toString('base64')}`;
    const stats = await inspectModel(new TextEncoder().encode(JSON.stringify(json)));
    expect(stats).toMatchObject({ triangles: 2, vertices: 4, meshes: 1, sizeMetres: [1, 1, 0] });
  });
});

describe('inspectModel on bytes that are not a model', () => {
  it.each([
    ['text', new TextEncoder().encode('hello, world'), 'not_gltf'],
    [
      'a PNG signature',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]),
      'not_gltf',
    ],
    ['empty', new Uint8Array(), 'not_gltf'],
    ['a truncated GLB', load('TwoCubes.glb').subarray(0, 40), 'corrupt_binary'],
    ['broken JSON', new TextEncoder().encode('{"asset": '), 'not_gltf'],
    ['JSON that is not glTF', new TextEncoder().encode('{"hello": "world"}'), 'not_gltf'],
  ])('rejects %s as %s', async (_label, bytes, code) => {
    const error = await inspectModel(bytes).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetError);
    expect((error as AssetError).code).toBe(code);
  });
});
