import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@e3d/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  contentHashedKey,
  createStoreFromConfig,
  loadOrCreateLocalSecret,
  type S3ObjectStore,
  uploadKey,
} from '../src/index.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const key = contentHashedKey('img', 'cd'.repeat(32), 'webp');

describe('createStoreFromConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'e3d-store-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the local folder under DATA_DIR without S3_BUCKET, with uploads on the API', async () => {
    const config = loadConfig({ DATA_DIR: dir, PUBLIC_API_URL: 'http://localhost:4100' });
    const store = createStoreFromConfig(config, { signingSecret: 'x'.repeat(32) });
    expect(store.driver).toBe('local');
    expect(store.publicUrl(key)).toBe(`http://localhost:4100/${key}`);
    await store.put(key, new Uint8Array([1]), { contentType: 'image/webp' });
    await expect(stat(path.join(dir, 'storage', key))).resolves.toBeTruthy();
    const upload = await store.createUpload({
      key: uploadKey('a.glb'),
      contentType: 'model/gltf-binary',
      maxBytes: 10,
      expiresInSeconds: 60,
    });
    expect(upload.url).toBe('http://localhost:4100/api/uploads/local');
  });

  it('uses S3 with S3_BUCKET: path-style on S3_ENDPOINT, public URLs on CLOUDFRONT_URL', async () => {
    const store = createStoreFromConfig(
      loadConfig({
        DATA_DIR: dir,
        S3_BUCKET: 'e3d-assets',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        AWS_REGION: 'eu-west-1',
        CLOUDFRONT_URL: 'https://d1234.cloudfront.net/',
      }),
    ) as S3ObjectStore;
    try {
      expect(store.driver).toBe('s3');
      expect(store.bucket).toBe('e3d-assets');
      expect(store.publicUrl(key)).toBe(`https://d1234.cloudfront.net/${key}`);
      expect(store.client.config.forcePathStyle).toBe(true);
      expect(await store.client.config.region()).toBe('eu-west-1');
    } finally {
      store.destroy();
    }
  });

  it('falls back to the bucket URL for public URLs when no CDN is configured', () => {
    const onAws = createStoreFromConfig(
      loadConfig({ DATA_DIR: dir, S3_BUCKET: 'e3d-assets' }),
    ) as S3ObjectStore;
    const onMinio = createStoreFromConfig(
      loadConfig({ DATA_DIR: dir, S3_BUCKET: 'e3d-assets', S3_ENDPOINT: 'http://minio:9000' }),
    ) as S3ObjectStore;
    try {
      expect(onAws.publicUrl(key)).toBe(`https://e3d-assets.s3.us-east-1.amazonaws.com/${key}`);
      expect(onAws.client.config.forcePathStyle).toBeFalsy();
      expect(onMinio.publicUrl(key)).toBe(`http://minio:9000/e3d-assets/${key}`);
    } finally {
      onAws.destroy();
      onMinio.destroy();
    }
  });
});

describe('loadOrCreateLocalSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'e3d-secret-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('generates 32 random bytes once, private to the owner', async () => {
    const first = await loadOrCreateLocalSecret(dir, 'upload-signing');
    expect(first).toHaveLength(32);
    const file = path.join(dir, 'secrets', 'upload-signing');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'secrets'))).mode & 0o777).toBe(0o700);
    expect(Buffer.compare(await readFile(file), first)).toBe(0);
    expect(Buffer.compare(await loadOrCreateLocalSecret(dir, 'upload-signing'), first)).toBe(0);
    expect(Buffer.compare(await loadOrCreateLocalSecret(dir, 'other'), first)).not.toBe(0);
  });

  it('agrees on one secret when several callers race', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateLocalSecret(dir, 'jwt')));
    for (const s of secrets) expect(Buffer.compare(s, secrets[0] as Buffer)).toBe(0);
  });

  it('refuses bad names and truncated files', async () => {
    await expect(loadOrCreateLocalSecret(dir, '../escape')).rejects.toThrow(RangeError);
    await loadOrCreateLocalSecret(dir, 'short');
    await writeFile(path.join(dir, 'secrets', 'short'), 'abc');
    await expect(loadOrCreateLocalSecret(dir, 'short')).rejects.toThrow(/delete it to regenerate/);
  });
});
