import { AssetError, errorMessage } from '../errors.ts';
import { type AssetLimits, resolveLimits } from '../limits.ts';
import { assertGltf2, GLB_MAGIC, type GltfJson, named, parseGlb } from './glb.ts';
import { resolveUri } from './uri.ts';
import { isZip, unzipUpload } from './zip.ts';

/**
 * A model upload, checked and normalized: one entry file (GLB or glTF JSON) plus the bytes of
 * every external file it references, all found inside the upload. Nothing here points at the
 * file system or the network, so later steps (validate, inspect, optimize) can never reach out.
 */
export interface ModelUpload {
  /** How it arrived: a bare GLB, a bare .gltf JSON, or a ZIP holding one of them with its files. */
  container: 'glb' | 'gltf' | 'zip';
  /** The entry file's format. */
  format: 'glb' | 'gltf';
  /** The entry file: GLB bytes, or glTF JSON as UTF-8. */
  main: Uint8Array;
  /** The entry file's path inside the upload (the filename, or its path inside the ZIP). */
  path: string;
  /** Each external (non-`data:`) URI, exactly as written in the JSON, mapped to its bytes. */
  resources: Readonly<Record<string, Uint8Array>>;
  /** The same files by their normalized path inside the upload (`model/textures/a.png`). */
  files: Readonly<Record<string, Uint8Array>>;
  /** Bytes received (the ZIP's size for a ZIP). */
  byteLength: number;
}

export interface ReadModelUploadOptions {
  /** The uploader's file name: its extension must agree with the content (`.glb`, `.gltf`, `.zip`). */
  filename?: string;
  limits?: Partial<AssetLimits>;
}

type Kind = 'glb' | 'gltf' | 'zip';

function sniff(bytes: Uint8Array): Kind | 'unknown' {
  if (
    bytes.byteLength >= 4 &&
    new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) === GLB_MAGIC
  ) {
    return 'glb';
  }
  if (isZip(bytes)) return 'zip';
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  while (i < bytes.byteLength && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[i] as number)) i++;
  return bytes[i] === 0x7b /* { */ ? 'gltf' : 'unknown';
}

function extensionKind(filename: string | undefined): Kind | undefined {
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return ext === 'glb' || ext === 'gltf' || ext === 'zip' ? ext : undefined;
}

function parseGltfJson(bytes: Uint8Array, filename?: string): GltfJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AssetError('not_gltf', { reason: `invalid JSON (${errorMessage(error)})`, ...named(filename) });
  }
  assertGltf2(json, filename);
  return json;
}

/**
 * Checks every buffer and image URI and collects the referenced files from `files` (the ZIP's
 * entries; empty for a bare file). Throws `external_reference` for the first URI that is remote,
 * absolute, `file:`, climbs out of the upload, or names a file the upload lacks.
 */
function collectResources(json: GltfJson, path: string, entries: ReadonlyMap<string, Uint8Array>) {
  const folder = folderOf(path);
  const resources: Record<string, Uint8Array> = {};
  const files: Record<string, Uint8Array> = {};
  const refs = [
    ...(json.buffers ?? []).map((b, i) => ({ uri: b?.uri, pointer: `/buffers/${i}/uri` })),
    ...(json.images ?? []).map((img, i) => ({ uri: img?.uri, pointer: `/images/${i}/uri` })),
  ];
  for (const { uri, pointer } of refs) {
    if (typeof uri !== 'string') continue;
    const target = resolveUri(uri, folder);
    if (target.kind === 'data') continue;
    if (target.kind === 'rejected')
      throw new AssetError('external_reference', { uri, reason: target.reason, pointer });
    const data = entries.get(target.path);
    if (!data) throw new AssetError('external_reference', { uri, reason: 'missing', pointer });
    resources[uri] = data;
    files[target.path] = data;
  }
  return { resources, files };
}

/** The folder of a path inside the upload ('' at the root). */
export const folderOf = (path: string): string =>
  path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';

function fromZip(bytes: Uint8Array, limits: AssetLimits, filename?: string): ModelUpload {
  const files = unzipUpload(bytes, limits);
  const names = [...files.keys()];
  const gltfs = names.filter((n) => /\.gltf$/i.test(n));
  const glbs = names.filter((n) => /\.glb$/i.test(n));
  const candidates = gltfs.length > 0 ? gltfs : glbs;
  if (candidates.length !== 1) {
    throw new AssetError('not_gltf', {
      reason:
        candidates.length === 0
          ? 'the ZIP holds no .gltf or .glb file'
          : `the ZIP holds ${candidates.length} model files (${candidates.slice(0, 5).join(', ')}); expected one`,
      ...named(filename),
    });
  }
  const path = candidates[0] as string;
  const main = files.get(path) as Uint8Array;
  const format = gltfs.length > 0 ? 'gltf' : 'glb';
  if (format === 'glb' && sniff(main) !== 'glb') {
    throw new AssetError('not_gltf', { reason: `${path} is not a GLB`, filename: path, expected: 'glb' });
  }
  const json = format === 'glb' ? parseGlb(main, path).json : parseGltfJson(main, path);
  return {
    container: 'zip',
    format,
    main,
    path,
    ...collectResources(json, path, files),
    byteLength: bytes.byteLength,
  };
}

/**
 * Reads an uploaded model — a GLB, a .gltf JSON (with `data:` URIs), or a ZIP holding one
 * .gltf (or .glb) with its .bin and textures — into a {@link ModelUpload}. It checks, without
 * decoding geometry: the size limit, that the content is what the file name says, the GLB
 * header and chunk layout, the ZIP's entry count and expanded size, and that every referenced
 * file resolves inside the upload. It never reads the file system or the network.
 */
export async function readModelUpload(
  bytes: Uint8Array,
  options: ReadModelUploadOptions = {},
): Promise<ModelUpload> {
  const limits = resolveLimits(options.limits);
  const { filename } = options;
  if (bytes.byteLength > limits.maxModelBytes) {
    throw new AssetError('too_large_bytes', {
      subject: 'model',
      bytes: bytes.byteLength,
      limit: limits.maxModelBytes,
    });
  }
  const detected = sniff(bytes);
  const expected = extensionKind(filename);
  if (expected && detected !== expected) {
    const details = {
      reason: `the content is not what .${expected} says`,
      ...named(filename),
      expected,
      detected,
    };
    throw expected === 'zip' ? new AssetError('corrupt_zip', details) : new AssetError('not_gltf', details);
  }
  const path = filename?.replace(/^.*[\\/]/, '') || `model.${detected === 'gltf' ? 'gltf' : 'glb'}`;
  switch (detected) {
    case 'zip':
      return fromZip(bytes, limits, filename);
    case 'glb': {
      const { json } = parseGlb(bytes, filename);
      const { resources, files } = collectResources(json, path, new Map());
      return {
        container: 'glb',
        format: 'glb',
        main: bytes,
        path,
        resources,
        files,
        byteLength: bytes.byteLength,
      };
    }
    case 'gltf': {
      const json = parseGltfJson(bytes, filename);
      const { resources, files } = collectResources(json, path, new Map());
      return {
        container: 'gltf',
        format: 'gltf',
        main: bytes,
        path,
        resources,
        files,
        byteLength: bytes.byteLength,
      };
    }
    default:
      throw new AssetError('not_gltf', {
        reason: 'expected a GLB, a glTF JSON file or a ZIP holding one',
        ...named(filename),
        detected,
      });
  }
}

/** True for a {@link ModelUpload} (as opposed to raw bytes). */
export const isModelUpload = (input: Uint8Array | ModelUpload): input is ModelUpload =>
  !(input instanceof Uint8Array);

/** Accepts raw bytes or an upload already read, so every entry point takes both. */
export async function toUpload(
  input: Uint8Array | ModelUpload,
  options: ReadModelUploadOptions = {},
): Promise<ModelUpload> {
  return isModelUpload(input) ? input : readModelUpload(input, options);
}
