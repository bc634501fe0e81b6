import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { sha256Hex } from './hash.ts';

/**
 * A folder of finished results (optimized models, image renditions), each stored under a key
 * made of everything that decides it: the input's bytes, the options, this package's own source
 * and the versions of the encoders it runs. Off unless a folder is named — `cacheDir`, or the
 * E3D_ASSET_CACHE_DIR environment variable — because only tests and the quick start process
 * the same demo files again and again; a real upload is optimized once.
 *
 * Entries are written to a temporary file and renamed into place, so a parallel reader sees a
 * whole entry or none; an entry that does not check out (hashes, layout) is a miss.
 */
export interface AssetCacheOption {
  /** Folder of cached results; `false` turns the cache off even when E3D_ASSET_CACHE_DIR is set. */
  cacheDir?: string | false;
}

/** Bump when the entry layout below changes. */
const ENTRY_FORMAT = 1;

export function assetCacheDir(option: AssetCacheOption): string | undefined {
  if (option.cacheDir === false) return undefined;
  return option.cacheDir || process.env.E3D_ASSET_CACHE_DIR || undefined;
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name) return pkg.version ?? 'unknown';
    } catch {
      // no package.json at this level: keep climbing
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

/** Every source file of this package: a change to a preset or an encoder setting is a new key. */
function sourceFingerprint(): string {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const hash = createHash('sha256');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)));
  return hash.digest('hex');
}

let pipelineIdentity: string | undefined;

/** What makes the same input come out differently: our code and the libraries doing the work. */
function identity(): string {
  pipelineIdentity ??= JSON.stringify({
    format: ENTRY_FORMAT,
    source: sourceFingerprint(),
    libraries: Object.fromEntries(
      [
        '@gltf-transform/core',
        '@gltf-transform/extensions',
        '@gltf-transform/functions',
        'draco3dgltf',
        'meshoptimizer',
        'gltf-validator',
      ].map((name) => [name, packageVersion(name)]),
    ),
    sharp: sharp.versions,
  });
  return pipelineIdentity;
}

/**
 * The key for a result of `kind` made from `inputs` (bytes, hashed here) with `options`, or
 * undefined when the options hold something that cannot be compared by value (a function).
 */
export function assetCacheKey(
  kind: string,
  inputs: Readonly<Record<string, Uint8Array>>,
  options: unknown,
): string | undefined {
  let comparable = true;
  const json = JSON.stringify(options, (_key, value: unknown) => {
    if (typeof value === 'function' || typeof value === 'symbol' || value instanceof Promise)
      comparable = false;
    return value;
  });
  if (!comparable) return undefined;
  const hashed = Object.entries(inputs)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, bytes]) => [name, sha256Hex(bytes)]);
  return sha256Hex(new TextEncoder().encode(JSON.stringify([identity(), kind, hashed, json])));
}

export interface CachedEntry<M> {
  meta: M;
  blobs: Uint8Array[];
}

interface EntryHeader<M> {
  format: number;
  meta: M;
  blobs: { bytes: number; sha256: string }[];
}

const entryPath = (dir: string, key: string) => path.join(dir, `${key}.entry`);

/** Layout: a 4-byte little-endian header length, the header as JSON, then the blobs back to back. */
export async function readCachedEntry<M>(dir: string, key: string): Promise<CachedEntry<M> | undefined> {
  let file: Buffer;
  try {
    file = await readFile(entryPath(dir, key));
  } catch {
    return undefined;
  }
  try {
    const headerBytes = file.readUInt32LE(0);
    const header = JSON.parse(file.subarray(4, 4 + headerBytes).toString('utf8')) as EntryHeader<M>;
    if (header.format !== ENTRY_FORMAT) return undefined;
    let offset = 4 + headerBytes;
    const blobs: Uint8Array[] = [];
    for (const blob of header.blobs) {
      const bytes = new Uint8Array(file.buffer, file.byteOffset + offset, blob.bytes);
      if (bytes.byteLength !== blob.bytes || sha256Hex(bytes) !== blob.sha256) return undefined;
      blobs.push(bytes);
      offset += blob.bytes;
    }
    return offset === file.byteLength ? { meta: header.meta, blobs } : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written (read-only, full disk) only costs the next run time. */
export async function writeCachedEntry<M>(dir: string, key: string, entry: CachedEntry<M>): Promise<void> {
  const header: EntryHeader<M> = {
    format: ENTRY_FORMAT,
    meta: entry.meta,
    blobs: entry.blobs.map((b) => ({ bytes: b.byteLength, sha256: sha256Hex(b) })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.byteLength, 0);
  const tmp = `${entryPath(dir, key)}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, Buffer.concat([length, json, ...entry.blobs]));
    await rename(tmp, entryPath(dir, key));
  } catch {
    await rm(tmp, { force: true }).catch(() => {});
  }
}
