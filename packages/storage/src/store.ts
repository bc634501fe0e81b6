import type { Readable } from 'node:stream';

export interface StoredObjectMeta {
  contentType: string;
  cacheControl: string;
  byteSize: number;
  /** Strong validator for conditional requests (quoted, as in HTTP). */
  etag: string;
}

export interface StoredObject extends StoredObjectMeta {
  body: Readable;
}

/** What a caller asks for when it lets a browser upload one file straight to the store. */
export interface UploadRequest {
  /** A staging key from `uploadKey(filename)`: `uploads/<uuid>/<filename>`. */
  key: string;
  /** The exact media type the browser must send (`type/subtype`, no parameters). */
  contentType: string;
  /** Largest accepted body in bytes; empty bodies are always refused. */
  maxBytes: number;
  /** How long the grant is valid, 1 s to 7 days. */
  expiresInSeconds: number;
}

/**
 * A browser-ready upload grant: POST `url` as `multipart/form-data` with every entry of `fields`
 * first, in any order, then the file as the last part named `file`. Both drivers use this shape.
 */
export interface DirectUpload {
  method: 'POST';
  url: string;
  fields: Record<string, string>;
  /** ISO 8601 instant after which the grant is refused. */
  expiresAt: string;
}

/**
 * Where asset bytes live. The embedded default is a folder; production is S3 behind
 * CloudFront. Callers never learn which.
 */
export interface ObjectStore {
  readonly driver: 'local' | 's3';
  /** `publicUrl(key)` is this + '/' + key (the catalog builds URLs in SQL with it). */
  readonly publicBaseUrl: string;
  put(key: string, body: Uint8Array, meta: { contentType: string; cacheControl?: string }): Promise<void>;
  /** null when there is no object at `key`. */
  head(key: string): Promise<StoredObjectMeta | null>;
  /** null when there is no object at `key`; the caller must consume or destroy `body`. */
  get(key: string): Promise<StoredObject | null>;
  /** Idempotent: deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** The URL a browser fetches the object from (the CDN in production); `assets/…` keys only. */
  publicUrl(key: string): string;
  /** A signed, expiring grant to upload one file to a staging `uploads/…` key. */
  createUpload(request: UploadRequest): Promise<DirectUpload>;
}

export class StorageKeyError extends Error {
  constructor(key: string, reason?: string) {
    super(`invalid storage key: ${JSON.stringify(key)}${reason ? ` (${reason})` : ''}`);
    this.name = 'StorageKeyError';
  }
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
export const MAX_UPLOAD_EXPIRY_SECONDS = 7 * 24 * 3600;

/** Shared by both drivers: refuses requests neither could honour the same way. */
export function assertUploadRequest(request: UploadRequest): void {
  if (!MEDIA_TYPE.test(request.contentType)) {
    throw new RangeError(
      `contentType must be a lower-case type/subtype, got ${JSON.stringify(request.contentType)}`,
    );
  }
  if (!Number.isSafeInteger(request.maxBytes) || request.maxBytes < 1) {
    throw new RangeError(`maxBytes must be a positive integer, got ${request.maxBytes}`);
  }
  const expires = request.expiresInSeconds;
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_UPLOAD_EXPIRY_SECONDS) {
    throw new RangeError(
      `expiresInSeconds must be an integer from 1 to ${MAX_UPLOAD_EXPIRY_SECONDS}, got ${expires}`,
    );
  }
}
