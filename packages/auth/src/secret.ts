import { loadOrCreateLocalSecret } from '@e3d/storage';

/** JWT_SECRET when set; otherwise one generated once and kept under DATA_DIR (embedded default). */
export async function loadJwtSecret(config: {
  JWT_SECRET?: string | undefined;
  dataDir: string;
}): Promise<Uint8Array> {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  return new Uint8Array(await loadOrCreateLocalSecret(config.dataDir, 'jwt-secret'));
}
