import { AssetError, errorMessage } from '../errors.ts';

/** The parts of glTF JSON this package reads before handing the file to glTF-Transform. */
export interface GltfJson {
  asset?: { version?: unknown };
  buffers?: { uri?: string }[];
  images?: { uri?: string }[];
  [key: string]: unknown;
}

export interface GlbParts {
  json: GltfJson;
  /** The BIN chunk, when present. */
  bin?: Uint8Array;
}

export const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a; // 'JSON'
const CHUNK_BIN = 0x004e4942; // 'BIN\0'

/** `{ filename }` when there is one, so details never carry `filename: undefined`. */
export const named = (filename?: string): { filename?: string } => (filename ? { filename } : {});

const corrupt = (reason: string, extra: { declaredLength?: number; actualLength?: number } = {}) =>
  new AssetError('corrupt_binary', { reason, ...extra });

/** Checks the JSON is a glTF 2.x document (the `asset.version` every glTF file must carry). */
export function assertGltf2(json: unknown, filename?: string): asserts json is GltfJson {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AssetError('not_gltf', { reason: 'the JSON is not an object', ...named(filename) });
  }
  const version = (json as GltfJson).asset?.version;
  if (typeof version !== 'string') {
    throw new AssetError('not_gltf', { reason: 'no asset.version in the JSON', ...named(filename) });
  }
  if (!version.startsWith('2.')) {
    throw new AssetError('not_gltf', {
      reason: `glTF ${version} is not supported, only 2.x`,
      ...named(filename),
    });
  }
}

/**
 * Splits a GLB into its JSON and BIN chunks, checking the header against the real byte length:
 * a truncated or padded file is `corrupt_binary`, not something to guess around.
 */
export function parseGlb(bytes: Uint8Array, filename?: string): GlbParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) throw corrupt('shorter than the 12-byte GLB header');
  if (view.getUint32(0, true) !== GLB_MAGIC) throw new AssetError('not_gltf', { reason: 'no GLB magic' });
  const version = view.getUint32(4, true);
  if (version !== 2) {
    throw new AssetError('not_gltf', {
      reason: `GLB version ${version} is not supported, only 2`,
      ...named(filename),
    });
  }
  const declaredLength = view.getUint32(8, true);
  if (declaredLength !== bytes.byteLength) {
    throw corrupt(
      declaredLength > bytes.byteLength
        ? 'the file is shorter than its GLB header says (truncated)'
        : 'the file is longer than its GLB header says',
      { declaredLength, actualLength: bytes.byteLength },
    );
  }
  if (bytes.byteLength < 20) throw corrupt('no JSON chunk');
  const jsonLength = view.getUint32(12, true);
  if (view.getUint32(16, true) !== CHUNK_JSON) throw corrupt('the first chunk is not JSON');
  if (20 + jsonLength > bytes.byteLength) throw corrupt('the JSON chunk runs past the end of the file');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(20, 20 + jsonLength)));
  } catch (error) {
    throw corrupt(`the JSON chunk is not valid JSON (${errorMessage(error)})`);
  }
  assertGltf2(json, filename);

  let offset = 20 + jsonLength;
  offset += (4 - (offset % 4)) % 4;
  if (offset + 8 > bytes.byteLength) {
    if (offset < bytes.byteLength) throw corrupt('a chunk header is cut off');
    return { json };
  }
  const binLength = view.getUint32(offset, true);
  const type = view.getUint32(offset + 4, true);
  if (offset + 8 + binLength > bytes.byteLength) throw corrupt('the BIN chunk runs past the end of the file');
  if (type !== CHUNK_BIN) return { json }; // unknown chunks are skipped, as the spec says
  return { json, bin: bytes.subarray(offset + 8, offset + 8 + binLength) };
}
