import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** A one-triangle .gltf whose vertices live in a .bin beside it, written into `dir`; returns its path. */
export function writeTriangleGltf(dir: string): string {
  const positions = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  writeFileSync(path.join(dir, 'tri.bin'), new Uint8Array(positions.buffer));
  const gltf = {
    asset: { version: '2.0' },
    buffers: [{ uri: 'tri.bin', byteLength: 36 }],
    bufferViews: [{ buffer: 0, byteLength: 36 }],
    accessors: [
      { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
    ],
    meshes: [{ primitives: [{ attributes: { POSITION: 0 } }] }],
    nodes: [{ mesh: 0 }],
    scenes: [{ nodes: [0] }],
    scene: 0,
  };
  const file = path.join(dir, 'triangle.gltf');
  writeFileSync(file, JSON.stringify(gltf));
  return file;
}
