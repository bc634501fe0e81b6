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

/**
 * Where asset bytes live. The embedded default is a folder; production is S3 behind
 * CloudFront. Callers never learn which.
 */
export interface ObjectStore {
  readonly driver: 'local' | 's3';
  put(key: string, body: Uint8Array, meta: { contentType: string; cacheControl?: string }): Promise<void>;
  head(key: string): Promise<StoredObjectMeta | null>;
  get(key: string): Promise<StoredObject | null>;
  delete(key: string): Promise<void>;
  /** The URL a browser fetches the object from (the CDN in production). */
  publicUrl(key: string): string;
}

export class StorageKeyError extends Error {
  constructor(key: string) {
    super(`invalid storage key: ${JSON.stringify(key)}`);
    this.name = 'StorageKeyError';
  }
}
