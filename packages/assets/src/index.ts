export {
  AssetError,
  type AssetErrorCode,
  type AssetErrorDetailsByCode,
  type ExternalReferenceReason,
  type ValidationMessage,
  type ValidationSeverity,
} from './errors.ts';
export { sha256Hex } from './hash.ts';
export {
  IMAGE_VARIANTS_DEFAULTS,
  type ImageFormat,
  type ImageVariant,
  type ImageVariantsOptions,
  type ImageVariantsResult,
  makeImageVariants,
  type SourceImage,
} from './images.ts';
export { inspectModel, type ModelInspection, type ModelTexture } from './inspect.ts';
export { ASSET_LIMIT_DEFAULTS, type AssetLimits, resolveLimits } from './limits.ts';
export {
  COMPRESS_GEOMETRY_DEFAULTS,
  type CompressGeometryOptions,
  compressGeometry,
} from './optimize/compress-geometry.ts';
export {
  COMPRESS_TEXTURES_DEFAULTS,
  type CompressTexturesOptions,
  compressTextures,
} from './optimize/compress-textures.ts';
export { type OptimizeModelOptions, type OptimizeResult, optimizeModel } from './optimize/optimize.ts';
export { OPTIMIZE_PRESETS, type OptimizePresetName, type OptimizeStep } from './optimize/presets.ts';
export { type ModelUpload, type ReadModelUploadOptions, readModelUpload } from './upload/read-upload.ts';
export { type ValidateModelOptions, type ValidationReport, validateModel } from './validate.ts';
