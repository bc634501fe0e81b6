import { type ValidatorReport, validateBytes } from 'gltf-validator';
import { AssetError, errorMessage, type ValidationMessage, type ValidationSeverity } from './errors.ts';
import { resolveLimits } from './limits.ts';
import { folderOf, type ModelUpload, type ReadModelUploadOptions, toUpload } from './upload/read-upload.ts';
import { resolveUri } from './upload/uri.ts';

/** What Khronos' glTF validator says about a model, plus the figures the limits are checked on. */
export interface ValidationReport {
  /** True when the validator found no errors (warnings, infos and hints are allowed). */
  valid: boolean;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  /** The validator's messages, errors first; at most `maxMessages`. */
  messages: ValidationMessage[];
  /** True when there were more messages than reported. */
  truncated: boolean;
  validatorVersion: string;
  /** Triangles across all meshes (each mesh counted once), as the validator counts them. */
  triangles: number;
  vertices: number;
  /** Pixel size of each image the validator could read. */
  images: { pointer: string; mimeType?: string; width: number; height: number }[];
}

export interface ValidateModelOptions extends ReadModelUploadOptions {
  /** Throw `validation_failed` when the validator reports errors (default true). */
  throwOnError?: boolean;
  /** Most messages kept in the report and in the error (default 100). */
  maxMessages?: number;
}

const SEVERITIES: ValidationSeverity[] = ['error', 'warning', 'info', 'hint'];

function toMessages(report: ValidatorReport, max: number): ValidationMessage[] {
  return [...report.issues.messages]
    .sort((a, b) => a.severity - b.severity)
    .slice(0, max)
    .map((m) => ({
      code: m.code,
      message: m.message,
      ...(m.pointer !== undefined && { pointer: m.pointer }),
      ...(m.offset !== undefined && { offset: m.offset }),
      severity: SEVERITIES[m.severity] ?? 'error',
    }));
}

/** Runs gltf-validator on the upload; external files are served from the upload's memory only. */
async function runValidator(upload: ModelUpload): Promise<ValidatorReport> {
  try {
    return await validateBytes(upload.main, {
      uri: upload.path,
      format: upload.format,
      writeTimestamp: false,
      maxIssues: 0,
      externalResourceFunction: async (uri) => {
        // The validator passes the URI as written or normalized (`./a/./b.png` → `a/b.png`).
        const target = resolveUri(uri, folderOf(upload.path));
        const data =
          upload.resources[uri] ?? (target.kind === 'path' ? upload.files[target.path] : undefined);
        if (!data) throw new Error(`not in the upload: ${uri}`);
        return data;
      },
    });
  } catch (error) {
    // The validator rejects only when it cannot tell glTF from GLB at all.
    throw new AssetError(
      'not_gltf',
      { reason: errorMessage(error), filename: upload.path },
      { cause: error },
    );
  }
}

/**
 * Validates a model with Khronos' glTF validator and enforces the model limits. Throws
 * `validation_failed` (with the validator's messages) on errors, `too_many_triangles` and
 * `texture_too_large` over the limits; otherwise returns the report with its warnings.
 * Raw bytes are read with {@link readModelUpload} first (size, format and reference checks).
 */
export async function validateModel(
  input: Uint8Array | ModelUpload,
  options: ValidateModelOptions = {},
): Promise<ValidationReport> {
  const limits = resolveLimits(options.limits);
  const upload = await toUpload(input, options);
  const raw = await runValidator(upload);
  const { issues, info } = raw;
  const maxMessages = options.maxMessages ?? 100;
  const report: ValidationReport = {
    valid: issues.numErrors === 0,
    errors: issues.numErrors,
    warnings: issues.numWarnings,
    infos: issues.numInfos,
    hints: issues.numHints,
    messages: toMessages(raw, maxMessages),
    truncated: issues.truncated || issues.messages.length > maxMessages,
    validatorVersion: raw.validatorVersion,
    triangles: info?.totalTriangleCount ?? 0,
    vertices: info?.totalVertexCount ?? 0,
    images: (info?.resources ?? []).flatMap((r) =>
      r.image
        ? [
            {
              pointer: r.pointer,
              ...(r.mimeType && { mimeType: r.mimeType }),
              width: r.image.width,
              height: r.image.height,
            },
          ]
        : [],
    ),
  };
  if (!report.valid && options.throwOnError !== false) {
    throw new AssetError('validation_failed', {
      errors: report.errors,
      warnings: report.warnings,
      messages: report.messages,
      truncated: report.truncated,
    });
  }
  if (report.triangles > limits.maxTriangles) {
    throw new AssetError('too_many_triangles', { triangles: report.triangles, limit: limits.maxTriangles });
  }
  for (const image of report.images) {
    const pixels = image.width * image.height;
    if (pixels > limits.maxTexturePixels) {
      throw new AssetError('texture_too_large', {
        pointer: image.pointer,
        width: image.width,
        height: image.height,
        pixels,
        limit: limits.maxTexturePixels,
      });
    }
  }
  return report;
}
