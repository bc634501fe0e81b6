const MiB = 1024 * 1024;

/**
 * The largest upload of each media kind, by default: the API's IMAGE_MAX_BYTES and
 * MODEL_MAX_BYTES default to these, and the admin checks a file against them before asking for
 * a grant (the grant's answer stays authoritative when the settings differ). No zod here: the
 * admin's browser code imports this file alone (`@e3d/contracts/limits`).
 */
export const UPLOAD_MAX_BYTES: Readonly<Record<'image' | 'model', number>> = Object.freeze({
  image: 25 * MiB,
  model: 100 * MiB,
});
