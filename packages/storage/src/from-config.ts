import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '@e3d/config';
import { createLocalStore } from './local.ts';
import { createS3Store } from './s3.ts';
import type { ObjectStore } from './store.ts';
import type { SigningSecret } from './upload-signing.ts';

export type StoreConfig = Pick<
  Config,
  'S3_BUCKET' | 'S3_ENDPOINT' | 'AWS_REGION' | 'CLOUDFRONT_URL' | 'dataDir' | 'assetBaseUrl' | 'publicApiUrl'
>;

export interface StoreFromConfigOptions {
  /** Signs local upload grants (e.g. from loadOrCreateLocalSecret); unused with S3. */
  signingSecret?: SigningSecret;
  /** Where the API receives local uploads; default `${publicApiUrl}/api/uploads/local`. */
  uploadBaseUrl?: string;
}

/** The path the API serves local direct uploads on, below PUBLIC_API_URL. */
export const LOCAL_UPLOAD_PATH = '/api/uploads/local';

/**
 * S3 when S3_BUCKET is set (S3_ENDPOINT, if any, with path-style URLs; public URLs on
 * CLOUDFRONT_URL, or the bucket's own URL without it), else the folder `DATA_DIR/storage`
 * served by the API at assetBaseUrl.
 */
export function createStoreFromConfig(
  config: StoreConfig,
  options: StoreFromConfigOptions = {},
): ObjectStore {
  if (config.S3_BUCKET) {
    const bucket = config.S3_BUCKET;
    const endpoint = config.S3_ENDPOINT;
    const bucketUrl = endpoint
      ? `${endpoint}/${bucket}`
      : `https://${bucket}.s3.${config.AWS_REGION}.amazonaws.com`;
    return createS3Store({
      bucket,
      region: config.AWS_REGION,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
      publicBaseUrl: config.CLOUDFRONT_URL ?? bucketUrl,
    });
  }
  return createLocalStore({
    root: path.join(config.dataDir, 'storage'),
    publicBaseUrl: config.assetBaseUrl,
    ...(options.signingSecret === undefined ? {} : { signingSecret: options.signingSecret }),
    uploadBaseUrl: options.uploadBaseUrl ?? `${config.publicApiUrl}${LOCAL_UPLOAD_PATH}`,
  });
}

const SECRET_BYTES = 32;

/**
 * A secret generated once and kept at `DATA_DIR/secrets/<name>` (32 random bytes, mode 0600,
 * folder 0700). Safe when several processes start at once: the first to link its file wins.
 */
export async function loadOrCreateLocalSecret(dataDir: string, name: string): Promise<Buffer> {
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(name)) {
    throw new RangeError(`secret name must match [a-z0-9][a-z0-9_-]*, got ${JSON.stringify(name)}`);
  }
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  const read = async () => {
    const secret = await readFile(file);
    if (secret.length < SECRET_BYTES) {
      throw new Error(
        `${file} holds ${secret.length} bytes, expected ${SECRET_BYTES}: delete it to regenerate`,
      );
    }
    return secret;
  };
  try {
    return await read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const tmp = path.join(dir, `.${name}.${randomUUID()}.tmp`);
  await writeFile(tmp, randomBytes(SECRET_BYTES), { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(tmp, { force: true });
  }
  return read();
}

/** The store the settings choose, with the local driver's upload-signing secret in place. */
export async function openStoreFromConfig(config: StoreConfig): Promise<ObjectStore> {
  return createStoreFromConfig(
    config,
    config.S3_BUCKET
      ? {}
      : { signingSecret: await loadOrCreateLocalSecret(config.dataDir, 'upload-signing') },
  );
}
