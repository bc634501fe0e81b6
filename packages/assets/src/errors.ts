/** Severity of one gltf-validator message, most severe first. */
export type ValidationSeverity = 'error' | 'warning' | 'info' | 'hint';

/** One message from Khronos' glTF validator. */
export interface ValidationMessage {
  /** Validator issue code, e.g. `ACCESSOR_INDEX_OOB`. */
  code: string;
  message: string;
  /** JSON pointer into the glTF JSON (`/meshes/0/primitives/0`), when the issue is in the JSON. */
  pointer?: string;
  /** Byte offset into the GLB, when the issue is in the binary layout. */
  offset?: number;
  severity: ValidationSeverity;
}

/** Why a URI in the model may not be followed. */
export type ExternalReferenceReason =
  | 'remote' // http:, https:, ftp:, or protocol-relative `//host/…`
  | 'file_uri' // file:
  | 'absolute' // `/etc/passwd`, `C:\…`, or another URI scheme
  | 'escapes_upload' // `../` climbing above the upload's root
  | 'malformed' // bad percent-encoding or a NUL byte
  | 'missing'; // a relative path the upload does not contain

/** The machine-readable facts behind each error code; safe to show to the uploader. */
export interface AssetErrorDetailsByCode {
  /** Not a glTF 2.0 model (GLB, .gltf JSON or a ZIP holding one), or the name lies about the content. */
  not_gltf: { reason: string; filename?: string; expected?: string; detected?: string };
  /** A GLB whose binary layout is broken: truncated, wrong length, bad chunks, unreadable data. */
  corrupt_binary: { reason: string; declaredLength?: number; actualLength?: number };
  /** gltf-validator found errors; `messages` lists them (errors first, then the rest). */
  validation_failed: {
    errors: number;
    warnings: number;
    messages: ValidationMessage[];
    truncated: boolean;
  };
  too_large_bytes: {
    subject: 'model' | 'image' | 'zip_uncompressed';
    bytes: number;
    limit: number;
  };
  too_many_triangles: { triangles: number; limit: number };
  texture_too_large: {
    pointer?: string;
    name?: string;
    width: number;
    height: number;
    pixels: number;
    limit: number;
  };
  external_reference: { uri: string; reason: ExternalReferenceReason; pointer: string };
  unsupported_image: { reason: string; format?: string };
  image_too_many_pixels: { width?: number; height?: number; pixels?: number; limit: number };
  corrupt_zip: { reason: string };
  too_many_zip_entries: { entries: number; limit: number };
  /** Optimization failed or produced a file that does not validate (a bug, not the uploader's fault). */
  optimize_failed: { reason: string; messages?: ValidationMessage[] };
}

export type AssetErrorCode = keyof AssetErrorDetailsByCode;

const TITLES: Record<AssetErrorCode, string> = {
  not_gltf: 'not a glTF 2.0 model',
  corrupt_binary: 'corrupt or truncated GLB',
  validation_failed: 'the model does not pass glTF validation',
  too_large_bytes: 'file too large',
  too_many_triangles: 'model has too many triangles',
  texture_too_large: 'texture too large',
  external_reference: 'model references a file outside the upload',
  unsupported_image: 'unsupported or corrupt image',
  image_too_many_pixels: 'image has too many pixels',
  corrupt_zip: 'corrupt ZIP archive',
  too_many_zip_entries: 'ZIP archive has too many entries',
  optimize_failed: 'model optimization failed',
};

/**
 * The one error type of `@e3d/assets`. `code` is stable (callers map it to HTTP statuses,
 * messages and metrics); `details` is plain JSON with the facts, free of HTTP and of paths
 * on this machine.
 */
export class AssetError<C extends AssetErrorCode = AssetErrorCode> extends Error {
  readonly code: C;
  readonly details: AssetErrorDetailsByCode[C];

  constructor(code: C, details: AssetErrorDetailsByCode[C], options?: { cause?: unknown }) {
    const reason = 'reason' in details && typeof details.reason === 'string' ? `: ${details.reason}` : '';
    super(`${TITLES[code]}${reason}`, options);
    this.name = 'AssetError';
    this.code = code;
    this.details = details;
  }

  /** Narrows an unknown error to an AssetError, optionally of one code. */
  static is<K extends AssetErrorCode>(error: unknown, code?: K): error is AssetError<K> {
    return error instanceof AssetError && (code === undefined || error.code === code);
  }
}

export const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
