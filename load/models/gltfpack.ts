/**
 * gltfpack (meshoptimizer's glTF optimizer) from its npm package: a WebAssembly build that runs
 * in-process. That build has neither BasisU nor WebP (`-tc` / `-tw` fail with "gltfpack was built
 * without BasisU/WebP support"), so it compresses geometry only and copies textures unchanged.
 */
import { pack } from 'gltfpack';

/**
 * -cc: meshopt compression with the higher-ratio mode (EXT_meshopt_compression, KHR_mesh_quantization;
 * default bits: position 14, uv 12, normal 8). Textures stay as they are (see above).
 */
export const GLTFPACK_ARGS = ['-cc'];

export interface GltfpackResult {
  glb: Uint8Array;
  ms: number;
  log: string;
}

/** Runs gltfpack on bytes in memory (its file interface is served from a Map, no temp files). */
export async function runGltfpack(
  input: Uint8Array,
  args: readonly string[] = GLTFPACK_ARGS,
): Promise<GltfpackResult> {
  const files = new Map<string, Uint8Array>([['input.glb', input]]);
  const started = performance.now();
  const log = await pack(['-i', 'input.glb', '-o', 'output.glb', ...args], {
    read(path) {
      const file = files.get(path);
      if (!file) throw new Error(`gltfpack asked for ${path}, which is not here`);
      return file;
    },
    write(path, data) {
      files.set(path, data.slice()); // a view into gltfpack's growing buffer: copy it out
    },
  });
  const ms = performance.now() - started;
  const glb = files.get('output.glb');
  if (!glb) throw new Error(`gltfpack wrote no output: ${log}`);
  return { glb, ms, log };
}
