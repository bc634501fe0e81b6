import type { Config } from '@e3d/config';
import type { UPLOAD_MAX_BYTES } from '@e3d/contracts';
import { type ObjectStore, uploadKey } from '@e3d/storage';
import { AppError } from '../../errors.ts';

export type MediaKind = keyof typeof UPLOAD_MAX_BYTES;
export type UploadLimits = Record<MediaKind, number>;

/** The largest upload of each kind, as set (their defaults are @e3d/contracts' UPLOAD_MAX_BYTES). */
export const uploadLimits = (config: Pick<Config, 'IMAGE_MAX_BYTES' | 'MODEL_MAX_BYTES'>): UploadLimits => ({
  image: config.IMAGE_MAX_BYTES,
  model: config.MODEL_MAX_BYTES,
});

/** Direct uploads are granted for 15 minutes; the file must arrive within that. */
const UPLOAD_GRANT_SECONDS = 15 * 60;

export interface UploadRequest {
  kind: MediaKind;
  filename: string;
  contentType: string;
  byteSize: number;
}

/**
 * A direct upload to storage (S3 presigned POST, or a signed local URL), limited to the
 * declared content type and byte size. The product is checked by the caller.
 */
export async function grantUpload(store: ObjectStore, limits: UploadLimits, request: UploadRequest) {
  const limit = limits[request.kind];
  if (request.byteSize > limit) {
    throw new AppError(
      413,
      'upload_too_large',
      `A ${request.kind} may be at most ${limit} bytes; this one is ${request.byteSize}.`,
      [{ field: 'byteSize', message: `must be at most ${limit}` }],
    );
  }
  const key = uploadKey(request.filename);
  const upload = await store.createUpload({
    key,
    contentType: request.contentType,
    maxBytes: request.byteSize,
    expiresInSeconds: UPLOAD_GRANT_SECONDS,
  });
  return { uploadKey: key, maxBytes: request.byteSize, upload };
}

/**
 * The staged upload under `key`, once it is there and within the kind's limit. One that is too
 * large is deleted: a grant's size is declared, but a client can send another file.
 */
export async function stagedUpload(store: ObjectStore, limits: UploadLimits, kind: MediaKind, key: string) {
  const staged = await store.head(key);
  if (!staged) {
    throw new AppError(
      409,
      'upload_missing',
      'Nothing was uploaded under this key, or the upload expired. Request a new upload.',
    );
  }
  if (staged.byteSize > limits[kind]) {
    await store.delete(key);
    throw new AppError(413, 'upload_too_large', `A ${kind} may be at most ${limits[kind]} bytes.`);
  }
  return { ...staged, filename: key.slice(key.lastIndexOf('/') + 1) };
}
