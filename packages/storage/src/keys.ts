import { createHash, randomUUID } from 'node:crypto';
import { StorageKeyError } from './store.ts';

/** Content-hashed keys never change meaning, so caches may keep them for a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Keys that can be overwritten in place (none yet outside tests) are revalidated. */
export const MUTABLE_CACHE_CONTROL = 'public, max-age=60, must-revalidate';
/** Staged uploads are private: never cached by a browser or a CDN. */
export const UPLOAD_CACHE_CONTROL = 'private, no-store';

export type AssetFamily = 'img' | 'models';

/** Public objects: served by the CDN (S3) or by the API under `/assets/*` (local). */
const ASSET_KEY_PATTERN = /^assets\/(?:[a-z0-9][a-z0-9._-]*\/)*[a-z0-9][a-z0-9._-]*$/;
/** Staged direct uploads: `uploads/<uuid>/<filename>`, private until processed. */
const UPLOAD_KEY_PATTERN =
  /^uploads\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[a-z0-9][a-z0-9._-]{0,127}$/;

const hasDotSegment = (key: string) => key.split('/').some((part) => part === '..' || part === '.');

export function isUploadKey(key: string): boolean {
  return UPLOAD_KEY_PATTERN.test(key) && !hasDotSegment(key);
}

export function isPublicKey(key: string): boolean {
  return ASSET_KEY_PATTERN.test(key) && !hasDotSegment(key);
}

/** Any key the store may put, head, get or delete: a public `assets/…` key or a staged `uploads/…` key. */
export function assertValidKey(key: string): void {
  if (!isPublicKey(key) && !isUploadKey(key)) throw new StorageKeyError(key);
}

/** Keys that may be given a public URL: `assets/…` only, never a staged upload. */
export function assertPublicKey(key: string): void {
  if (isPublicKey(key)) return;
  throw new StorageKeyError(key, isUploadKey(key) ? 'staged uploads have no public URL' : undefined);
}

/** Keys a direct upload may target: `uploads/<uuid>/<filename>` only. */
export function assertUploadKey(key: string): void {
  if (!isUploadKey(key)) throw new StorageKeyError(key, 'direct uploads go to uploads/<uuid>/<filename>');
}

/**
 * A fresh staging key for a user-supplied file name: `uploads/<uuid>/<safe-name>`. The name is
 * reduced to its last path segment, lower-cased ASCII `[a-z0-9._-]`, at most 128 characters with
 * its extension kept, so `../../etc/passwd` becomes `uploads/<uuid>/passwd`.
 */
export function uploadKey(filename: string, id: string = randomUUID()): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-+(?=\.)|^[._-]+|-+$/g, '');
  if (!name) name = 'upload';
  if (name.length > 128) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, 128 - ext.length) + ext;
  }
  const key = `uploads/${id.toLowerCase()}/${name}`;
  assertUploadKey(key);
  return key;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `assets/models/3f/3fa2…c1.glb`: the hash is the name, so the key is immutable. */
export function contentHashedKey(family: AssetFamily, hash: string, extension: string, suffix = ''): string {
  const ext = extension.replace(/^\./, '').toLowerCase();
  return `assets/${family}/${hash.slice(0, 2)}/${hash}${suffix}.${ext}`;
}

export function isContentHashedKey(key: string): boolean {
  return /^assets\/(img|models)\/[0-9a-f]{2}\/[0-9a-f]{64}[a-z0-9._-]*$/.test(key);
}

const CONTENT_TYPES: Record<string, string> = {
  glb: 'model/gltf-binary',
  gltf: 'model/gltf+json',
  usdz: 'model/vnd.usdz+zip',
  bin: 'application/octet-stream',
  webp: 'image/webp',
  avif: 'image/avif',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  ktx2: 'image/ktx2',
  hdr: 'image/vnd.radiance',
};

export function contentTypeFor(key: string): string {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}

export function cacheControlFor(key: string): string {
  if (isUploadKey(key)) return UPLOAD_CACHE_CONTROL;
  return isContentHashedKey(key) ? IMMUTABLE_CACHE_CONTROL : MUTABLE_CACHE_CONTROL;
}
