import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isUploadKey } from './keys.ts';

/**
 * The local driver's equivalent of an S3 POST policy: the form fields a browser sends with the
 * file, signed with HMAC-SHA256 so the API can check them without a database. The receiving
 * end (receiveLocalUpload) also takes each form once only.
 */
export const LOCAL_UPLOAD_FIELDS = {
  key: 'key',
  contentType: 'Content-Type',
  expires: 'x-e3d-expires',
  maxBytes: 'x-e3d-max-bytes',
  signature: 'x-e3d-signature',
} as const;

export type UploadRejectionCode =
  | 'signature_invalid'
  | 'upload_expired'
  | 'content_type_mismatch'
  | 'too_large'
  | 'too_small'
  | 'key_mismatch'
  | 'upload_already_used';

const STATUS: Record<UploadRejectionCode, number> = {
  signature_invalid: 403,
  upload_expired: 403,
  key_mismatch: 403,
  content_type_mismatch: 415,
  too_large: 413,
  too_small: 400,
  upload_already_used: 409,
};

/** Why a local upload was refused; `code` is stable, `status` is the HTTP status to answer with. */
export class UploadRejectedError extends Error {
  readonly code: UploadRejectionCode;
  readonly status: number;
  constructor(code: UploadRejectionCode, message: string) {
    super(message);
    this.name = 'UploadRejectedError';
    this.code = code;
    this.status = STATUS[code];
  }
}

export type SigningSecret = string | Uint8Array;

export interface VerifiedLocalUpload {
  /** Names this one form (a digest of its signature): the same form always has the same id. */
  id: string;
  key: string;
  contentType: string;
  maxBytes: number;
  expiresAt: Date;
}

function signature(
  secret: SigningSecret,
  key: string,
  contentType: string,
  expires: string,
  maxBytes: string,
) {
  // JSON keeps the parts unambiguous whatever characters they hold.
  return createHmac('sha256', secret)
    .update(JSON.stringify(['e3d-upload-v1', key, contentType, expires, maxBytes]))
    .digest('hex');
}

/** The signed form fields for one upload (used by the local driver's createUpload). */
export function signLocalUpload(
  secret: SigningSecret,
  upload: { key: string; contentType: string; maxBytes: number; expiresAt: Date },
): Record<string, string> {
  const expires = String(Math.floor(upload.expiresAt.getTime() / 1000));
  const maxBytes = String(upload.maxBytes);
  return {
    [LOCAL_UPLOAD_FIELDS.key]: upload.key,
    [LOCAL_UPLOAD_FIELDS.contentType]: upload.contentType,
    [LOCAL_UPLOAD_FIELDS.expires]: expires,
    [LOCAL_UPLOAD_FIELDS.maxBytes]: maxBytes,
    [LOCAL_UPLOAD_FIELDS.signature]: signature(secret, upload.key, upload.contentType, expires, maxBytes),
  };
}

/**
 * Form fields as a plain record (`{ key: 'uploads/…' }`) or as @fastify/multipart's
 * `data.fields` (`{ key: { type: 'field', value: 'uploads/…' } }`).
 */
export type UploadFormFields = Readonly<Record<string, unknown>>;

function field(fields: UploadFormFields, name: string): string {
  let value = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'value' in value) {
    value = (value as { value: unknown }).value;
  }
  if (typeof value !== 'string') {
    throw new UploadRejectedError(
      'signature_invalid',
      Array.isArray(value) ? `form field ${name} was sent more than once` : `form field ${name} is missing`,
    );
  }
  return value;
}

const normalizeMediaType = (value: string) => value.split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * Checks a local upload's form fields the way S3 checks a POST policy: signature first (constant
 * time), then expiry, then the key (a staging key, and `expectedKey` when given), then the
 * declared Content-Type of the file part when given. Returns what the grant allows.
 */
export function verifyLocalUpload(
  fields: UploadFormFields,
  secret: SigningSecret,
  now: Date | number = Date.now(),
  options: { expectedKey?: string; declaredContentType?: string } = {},
): VerifiedLocalUpload {
  const key = field(fields, LOCAL_UPLOAD_FIELDS.key);
  const contentType = field(fields, LOCAL_UPLOAD_FIELDS.contentType);
  const expires = field(fields, LOCAL_UPLOAD_FIELDS.expires);
  const maxBytes = field(fields, LOCAL_UPLOAD_FIELDS.maxBytes);
  const given = Buffer.from(field(fields, LOCAL_UPLOAD_FIELDS.signature), 'utf8');
  const expected = Buffer.from(signature(secret, key, contentType, expires, maxBytes), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UploadRejectedError('signature_invalid', 'the upload form signature does not match its fields');
  }
  if (!/^\d{1,15}$/.test(expires) || !/^\d{1,15}$/.test(maxBytes)) {
    // Only reachable with the secret itself: signed fields we never produce.
    throw new UploadRejectedError('signature_invalid', 'the upload form fields are malformed');
  }
  const expiresAt = new Date(Number(expires) * 1000);
  if (expiresAt.getTime() <= (typeof now === 'number' ? now : now.getTime())) {
    throw new UploadRejectedError('upload_expired', `the upload grant expired at ${expiresAt.toISOString()}`);
  }
  if (!isUploadKey(key) || (options.expectedKey !== undefined && options.expectedKey !== key)) {
    throw new UploadRejectedError('key_mismatch', `uploads may not be written to ${JSON.stringify(key)}`);
  }
  if (
    options.declaredContentType !== undefined &&
    normalizeMediaType(options.declaredContentType) !== contentType
  ) {
    throw new UploadRejectedError(
      'content_type_mismatch',
      `the file was sent as ${JSON.stringify(options.declaredContentType)}, the grant is for ${contentType}`,
    );
  }
  const id = createHash('sha256').update(given).digest('hex');
  return { id, key, contentType, maxBytes: Number(maxBytes), expiresAt };
}
