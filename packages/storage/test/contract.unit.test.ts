import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { startS3rver } from '@e3d/testing/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentHashedKey,
  createLocalStore,
  createS3Store,
  IMMUTABLE_CACHE_CONTROL,
  MUTABLE_CACHE_CONTROL,
  type ObjectStore,
  StorageKeyError,
  type StoredObject,
  sha256,
  UPLOAD_CACHE_CONTROL,
  uploadKey,
} from '../src/index.ts';
import { postUpload, startUploadServer } from './support/upload-server.ts';

const PUBLIC_BASE = 'https://cdn.example.test';
const MAX_UPLOAD = 64 * 1024;

async function bytesOf(object: StoredObject | null): Promise<Buffer> {
  if (!object) throw new Error('expected an object');
  return buffer(object.body);
}

interface Harness {
  store: ObjectStore;
  close(): Promise<void>;
}

const drivers: { name: 'local' | 's3'; setup(): Promise<Harness> }[] = [
  {
    name: 'local',
    async setup() {
      const root = await mkdtemp(path.join(tmpdir(), 'e3d-local-store-'));
      let store: ObjectStore | undefined;
      const server = await startUploadServer(() => store as ObjectStore, MAX_UPLOAD);
      store = createLocalStore({
        root,
        publicBaseUrl: `${PUBLIC_BASE}/`,
        signingSecret: randomBytes(32),
        uploadBaseUrl: server.uploadUrl,
      });
      return {
        store,
        async close() {
          await server.app.close();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 's3',
    async setup() {
      const s3 = await startS3rver();
      const store = createS3Store({
        bucket: s3.bucket,
        region: s3.region,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: s3.credentials,
        publicBaseUrl: PUBLIC_BASE,
      });
      return {
        store,
        async close() {
          store.destroy();
          await s3.close();
        },
      };
    },
  },
];

describe.each(drivers)('ObjectStore contract: $name driver', ({ name, setup }) => {
  let harness: Harness;
  let store: ObjectStore;
  beforeAll(async () => {
    harness = await setup();
    store = harness.store;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('reports its driver', () => {
    expect(store.driver).toBe(name);
  });

  it('round-trips bytes, content type and the immutable cache policy of content-hashed keys', async () => {
    const bytes = randomBytes(300 * 1024);
    const key = contentHashedKey('models', sha256(bytes), 'glb');
    await store.put(key, bytes, { contentType: 'model/gltf-binary' });

    const meta = await store.head(key);
    expect(meta).toMatchObject({
      contentType: 'model/gltf-binary',
      cacheControl: IMMUTABLE_CACHE_CONTROL,
      byteSize: bytes.length,
    });
    expect(meta?.etag).toMatch(/^"[0-9a-f]+"$/);

    const object = await store.get(key);
    expect(object).not.toBeNull();
    expect(object).toMatchObject({
      contentType: 'model/gltf-binary',
      byteSize: bytes.length,
      etag: meta?.etag,
    });
    expect(Buffer.compare(await bytesOf(object), bytes)).toBe(0);
  });

  it('keeps an explicit Cache-Control, and revalidates keys that are not content-hashed', async () => {
    await store.put('assets/img/banner.webp', new Uint8Array([1, 2, 3]), { contentType: 'image/webp' });
    expect((await store.head('assets/img/banner.webp'))?.cacheControl).toBe(MUTABLE_CACHE_CONTROL);

    await store.put('assets/img/custom.png', new Uint8Array([4]), {
      contentType: 'image/png',
      cacheControl: 'public, max-age=5',
    });
    expect(await store.head('assets/img/custom.png')).toMatchObject({
      contentType: 'image/png',
      cacheControl: 'public, max-age=5',
      byteSize: 1,
    });
  });

  it('overwrites in place', async () => {
    await store.put('assets/img/over.png', new Uint8Array([1, 1, 1, 1]), { contentType: 'image/png' });
    await store.put('assets/img/over.png', new Uint8Array([2, 2]), { contentType: 'image/png' });
    const object = await store.get('assets/img/over.png');
    expect([...(await bytesOf(object))]).toEqual([2, 2]);
  });

  it('answers null for missing objects and deletes idempotently', async () => {
    expect(await store.head('assets/img/missing.png')).toBeNull();
    expect(await store.get('assets/img/missing.png')).toBeNull();

    await store.put('assets/img/gone.png', new Uint8Array([9]), { contentType: 'image/png' });
    await store.delete('assets/img/gone.png');
    expect(await store.head('assets/img/gone.png')).toBeNull();
    expect(await store.get('assets/img/gone.png')).toBeNull();
    await store.delete('assets/img/gone.png');
  });

  it('refuses keys outside assets/ and uploads/<uuid>/, and path traversal', async () => {
    for (const key of [
      '../etc/passwd',
      'assets/../uploads/x',
      'assets/img/./a.png',
      '/assets/a.png',
      'Assets/A.png',
      'secrets/jwt',
      'uploads/not-a-uuid/a.glb',
      `${uploadKey('a.glb')}/../../b`,
    ]) {
      await expect(store.put(key, new Uint8Array([1]), { contentType: 'image/png' }), key).rejects.toThrow(
        StorageKeyError,
      );
      await expect(store.head(key), key).rejects.toThrow(StorageKeyError);
      await expect(store.get(key), key).rejects.toThrow(StorageKeyError);
      await expect(store.delete(key), key).rejects.toThrow(StorageKeyError);
    }
  });

  it('gives public URLs on its base for assets/ keys only', async () => {
    const key = contentHashedKey('img', 'ab'.repeat(32), 'webp');
    expect(store.publicUrl(key)).toBe(`${PUBLIC_BASE}/${key}`);
    expect(() => store.publicUrl(uploadKey('model.glb'))).toThrow(/staged uploads have no public URL/);
    expect(() => store.publicUrl('assets/../x')).toThrow(StorageKeyError);
  });

  it('stores staged uploads privately, readable by the worker', async () => {
    const key = uploadKey('Chair (final).GLB');
    expect(key).toMatch(/^uploads\/[0-9a-f-]{36}\/chair-final\.glb$/);
    await store.put(key, new Uint8Array([7, 7]), { contentType: 'model/gltf-binary' });
    expect(await store.head(key)).toMatchObject({ cacheControl: UPLOAD_CACHE_CONTROL, byteSize: 2 });
    expect([...(await bytesOf(await store.get(key)))]).toEqual([7, 7]);
    await store.delete(key);
    expect(await store.head(key)).toBeNull();
  });

  it('grants direct uploads only to staging keys, with sane limits', async () => {
    const request = { contentType: 'model/gltf-binary', maxBytes: 1000, expiresInSeconds: 60 };
    await expect(store.createUpload({ ...request, key: 'assets/models/x.glb' })).rejects.toThrow(
      StorageKeyError,
    );
    const key = uploadKey('x.glb');
    await expect(store.createUpload({ ...request, key, maxBytes: 0 })).rejects.toThrow(RangeError);
    await expect(store.createUpload({ ...request, key, contentType: 'model' })).rejects.toThrow(RangeError);
    await expect(store.createUpload({ ...request, key, expiresInSeconds: 8 * 24 * 3600 })).rejects.toThrow(
      RangeError,
    );

    const before = Date.now();
    const upload = await store.createUpload({ ...request, key });
    expect(upload.method).toBe('POST');
    expect(upload.fields).toMatchObject({ key, 'Content-Type': 'model/gltf-binary' });
    const expiresAt = Date.parse(upload.expiresAt);
    expect(expiresAt).toBeGreaterThan(before + 58_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('accepts a browser form POST of the grant and stores the file at the granted key', async () => {
    const key = uploadKey('helmet.glb');
    const upload = await store.createUpload({
      key,
      contentType: 'model/gltf-binary',
      maxBytes: MAX_UPLOAD,
      expiresInSeconds: 300,
    });
    const bytes = randomBytes(10_000);
    const response = await postUpload(upload, bytes, 'model/gltf-binary');
    expect(response.status, await response.text()).toBeLessThan(300);

    expect(await store.head(key)).toMatchObject({ contentType: 'model/gltf-binary', byteSize: bytes.length });
    const object = await store.get(key);
    expect(Buffer.compare(await bytesOf(object), bytes)).toBe(0);
  });
});
