import { isApiError } from '@/lib/api';
import { formatBytes } from '@/lib/format';

/** A failure for people: what happened in plain words, and the system's own words beside it. */
export interface PlainFailure {
  reason: string;
  /** The API's or the storage's message, shown as secondary text (absent when it adds nothing). */
  detail?: string;
  code?: string;
}

/**
 * Sentences for the failure codes staff can meet: the asset pipeline's AssetError codes
 * (packages/assets/src/errors.ts), the media worker's own, the upload grant and confirm, the
 * API's local upload route and S3's POST answers.
 */
const REASONS: Record<string, string> = {
  // Processing (packages/assets, packages/catalog media pipeline)
  not_gltf: 'This file is not a 3D model in glTF format (GLB, glTF, or a ZIP holding one).',
  corrupt_binary: 'The 3D model file is damaged or incomplete. Export it again and upload the new file.',
  validation_failed:
    'The 3D model has errors the glTF validator will not accept. Fix them in the 3D tool and export again.',
  too_large_bytes: 'The file is larger than the shop accepts.',
  too_many_triangles: 'The 3D model has too many triangles. Simplify it (decimate) and export again.',
  texture_too_large:
    'A texture in the 3D model is too large. Scale it down (e.g. to 4096 × 4096) and export again.',
  external_reference:
    'The 3D model refers to a file that is not in the upload. Upload a GLB, or a ZIP with every texture and .bin file.',
  unsupported_image:
    'This image is damaged or in a format the shop cannot read. Use JPEG, PNG, WebP or AVIF.',
  image_too_many_pixels: 'The image has too many pixels. Scale it down and upload it again.',
  corrupt_zip: 'The ZIP archive is damaged. Create it again and upload the new file.',
  too_many_zip_entries: 'The ZIP archive holds too many files. Keep only the model and its textures.',
  optimize_failed:
    'The shop could not optimize this 3D model. This is on our side; try again later or contact support.',
  processing_error: 'Processing kept failing for a reason on our side. Delete it and try again later.',
  upload_missing: 'The file never arrived in storage, or the upload expired. Upload it again.',
  // Grant and confirm (apps/api media module)
  upload_too_large: 'The file is larger than the shop accepts.',
  upload_in_use: 'This upload belongs to another product.',
  product_not_found: 'The product no longer exists.',
  media_not_found: 'This media was deleted meanwhile.',
  forbidden: 'Your role may not upload media.',
  // The API's local upload route (packages/storage upload-signing)
  signature_invalid: 'The upload permission was not accepted. Upload the file again.',
  upload_expired: 'The upload took too long and its permission expired. Upload the file again.',
  key_mismatch: 'The upload permission was not accepted. Upload the file again.',
  content_type_mismatch: 'The file type did not match what was announced. Upload the file again.',
  too_large: 'The file is larger than announced or than the shop accepts.',
  too_small: 'The file is empty.',
  file_missing: 'The file did not arrive. Upload it again.',
  // S3 presigned POST answers
  EntityTooLarge: 'The file is larger than the shop accepts.',
  EntityTooSmall: 'The file is empty.',
  AccessDenied: 'The upload permission was refused or expired. Upload the file again.',
  ExpiredToken: 'The upload permission expired. Upload the file again.',
  // Browser side
  network_error: 'The connection failed while sending the file. Check the network and try again.',
  unsupported_format:
    'This file type is not accepted. Images: JPEG, PNG, WebP, AVIF. 3D models: GLB, glTF, ZIP.',
  file_too_large: 'The file is larger than the shop accepts.',
  file_empty: 'The file is empty.',
};

export function plainReason(code: string | undefined, message?: string): PlainFailure {
  const reason = code ? REASONS[code] : undefined;
  if (reason) return { reason, code, ...(message && message !== reason ? { detail: message } : {}) };
  return { reason: message || 'Something went wrong.', ...(code ? { code } : {}) };
}

/** An error thrown by an upload step (ApiError, storage refusal, anything else) in plain words. */
export function plainError(error: unknown): PlainFailure {
  if (isApiError(error)) {
    // A 400 naming the content type is the grant refusing the file's kind.
    if (error.status === 400 && error.errors.some((e) => e.field === 'contentType')) {
      return plainReason('unsupported_format', error.detail);
    }
    return plainReason(error.code, error.detail);
  }
  return { reason: error instanceof Error ? error.message : 'Something went wrong.' };
}

/** Checked in the browser before asking the API; null when the file may be tried. */
export function checkFile(
  file: File,
  type: { kind: 'image' | 'model' } | null,
  maxBytes: Record<'image' | 'model', number>,
): PlainFailure | null {
  if (!type)
    return plainReason(
      'unsupported_format',
      `${file.name} is not a JPEG, PNG, WebP, AVIF, GLB, glTF or ZIP file.`,
    );
  if (file.size === 0) return plainReason('file_empty');
  const limit = maxBytes[type.kind];
  if (file.size > limit) {
    return {
      reason: `The file is ${formatBytes(file.size)}; ${type.kind === 'image' ? 'an image' : 'a 3D model'} may be at most ${formatBytes(limit)}.`,
      code: 'file_too_large',
    };
  }
  return null;
}
