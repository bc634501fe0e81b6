import { createHash } from 'node:crypto';
import { StorageKeyError } from './store.ts';

/** Content-hashed keys never change meaning, so caches may keep them for a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Keys that can be overwritten in place (none yet outside tests) are revalidated. */
export const MUTABLE_CACHE_CONTROL = 'public, max-age=60, must-revalidate';

export type AssetFamily = 'img' | 'models';

const KEY_PATTERN = /^assets\/(?:[a-z0-9][a-z0-9._-]*\/)*[a-z0-9][a-z0-9._-]*$/;

export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new StorageKeyError(key);
  }
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
  return isContentHashedKey(key) ? IMMUTABLE_CACHE_CONTROL : MUTABLE_CACHE_CONTROL;
}
