import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { issueAccessToken } from '@e3d/auth';
import { DEMO_MODELS_DIR } from '@e3d/catalog';
import { adminMediaSchema, directUploadSchema, problemSchema } from '@e3d/contracts';
import { mediaPipeline, processPendingMedia } from '@e3d/media';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const model = (name: string) => new Uint8Array(readFileSync(path.join(DEMO_MODELS_DIR, name)));

/** Every file under the local store's assets/ folder (what the CDN would serve). */
function storedAssets(dataDir: string): string[] {
  const root = path.join(dataDir, 'storage', 'assets');
  try {
    return (readdirSync(root, { recursive: true }) as string[])
      .filter((f) => !f.endsWith('.meta.json'))
      .sort();
  } catch {
    return [];
  }
}

describe.each(BACKENDS)('admin media API on %s', (backend) => {
  let api: TestApi;
  let base: string;
  let productId: string;
  let auth: { authorization: string };

  const grant = async (body: object) =>
    api.app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/media/uploads`,
      headers: auth,
      payload: body,
    });

  /** What a browser does with the grant: the signed fields, then the file. */
  const send = async (
    upload: { url: string; fields: Record<string, string> },
    bytes: Uint8Array,
    type: string,
  ) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type }), 'upload.bin');
    return fetch(`${base}${new URL(upload.url).pathname}`, { method: 'POST', body: form });
  };

  /** Grant, upload and confirm; returns the confirmed media. */
  const uploadAndConfirm = async (
    kind: 'image' | 'model',
    filename: string,
    bytes: Uint8Array,
    type: string,
  ) => {
    const granted = directUploadSchema.parse(
      (await grant({ kind, filename, contentType: type, byteSize: bytes.byteLength })).json(),
    );
    expect((await send(granted.upload, bytes, type)).status).toBe(201);
    const confirmed = await api.app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/media`,
      headers: auth,
      payload: { kind, uploadKey: granted.uploadKey, alt: filename },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(202);
    return { media: adminMediaSchema.parse(confirmed.json()), granted };
  };

  const processAll = () => processPendingMedia(mediaPipeline({ db: api.db, store: api.runtime.store }));
  const getMedia = async (id: string) =>
    adminMediaSchema.parse(
      (await api.app.inject({ method: 'GET', url: `/api/admin/media/${id}`, headers: auth })).json(),
    );

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: 'fixture' });
    base = await api.app.listen({ host: '127.0.0.1', port: 0 });
    auth = { authorization: `Bearer ${(await staffToken(api, 'catalog_editor')).token}` };
    const [row] = await api.db.query<{ id: string }>(
      "SELECT id FROM products WHERE handle = 'wooden-puzzle-cube'",
    );
    productId = row?.id ?? '';
  });
  afterAll(async () => {
    await api?.close();
  });

  it('refuses callers without a valid staff token, and roles without the permission', async () => {
    const url = `/api/admin/products/${productId}/media`;
    const cases: [Record<string, string>, number, string][] = [
      [{}, 401, 'unauthenticated'],
      [{ authorization: 'Bearer not-a-jwt' }, 401, 'token_invalid'],
      [
        {
          authorization: `Bearer ${await issueAccessToken(new TextEncoder().encode('another-secret-entirely-0123456789'), { type: 'staff', id: '00000000-0000-4000-8000-000000000000', role: 'owner' })}`,
        },
        401,
        'token_invalid',
      ],
      [
        { authorization: `Bearer ${(await staffToken(api, 'owner', Date.now() - 3_600_000)).token}` },
        401,
        'token_expired',
      ],
      [
        {
          authorization: `Bearer ${await issueAccessToken(api.runtime.jwtSecret, { type: 'customer', id: productId })}`,
        },
        403,
        'forbidden',
      ],
    ];
    for (const [headers, status, code] of cases) {
      const response = await api.app.inject({ method: 'GET', url, headers });
      expect(response.statusCode, code).toBe(status);
      expect(problemSchema.parse(response.json()).code).toBe(code);
    }
    // Support may look, not touch.
    const support = { authorization: `Bearer ${(await staffToken(api, 'support')).token}` };
    expect((await api.app.inject({ method: 'GET', url, headers: support })).statusCode).toBe(200);
    const write = await api.app.inject({
      method: 'POST',
      url: `${url}/uploads`,
      headers: support,
      payload: { kind: 'model', filename: 'a.glb', contentType: 'model/gltf-binary', byteSize: 10 },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json().code).toBe('forbidden');
    // A deactivated member's still-valid token stops working at once.
    const gone = await staffToken(api, 'owner');
    await api.db.query("UPDATE staff SET status = 'deactivated' WHERE id = $1", [gone.id]);
    const refused = await api.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${gone.token}` },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('account_inactive');
  });

  it('uploads a GLB straight to storage, confirms it, and the worker makes it ready', async () => {
    const bytes = model('DamagedHelmet.glb');
    const { media } = await uploadAndConfirm('model', 'DamagedHelmet.glb', bytes, 'model/gltf-binary');
    expect(media).toMatchObject({ status: 'uploaded', kind: 'model', url: null });
    expect(await processAll()).toEqual({ succeeded: 1, failed: 0 });

    const ready = await getMedia(media.id);
    expect(ready.status).toBe('ready');
    expect(ready.originalByteSize).toBe(bytes.byteLength);
    expect(ready.byteSize).toBeLessThan(bytes.byteLength * 0.4);
    expect(ready.stats).toMatchObject({ triangles: 15452, textures: 5 });
    expect(ready.statsBefore?.triangles).toBe(15452);
    expect(ready.validator?.errors).toBe(0);
    expect(ready.preset).toBe('web');
    const served = await fetch(`${base}${new URL(ready.url ?? '').pathname}`);
    expect(served.headers.get('content-type')).toBe('model/gltf-binary');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await served.arrayBuffer()).byteLength).toBe(ready.byteSize);

    // The storefront sees it (the media change NOTIFYs the catalog cache).
    for (let i = 0; i < 50; i++) {
      const product = (
        await api.app.inject({ method: 'GET', url: '/api/products/wooden-puzzle-cube' })
      ).json();
      if (product.has3d) {
        expect(product.models.map((m: { id: string }) => m.id)).toContain(media.id);
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the product never showed its new model');
  });

  it('confirming the same upload twice creates one media', async () => {
    const bytes = model('TwoCubes.glb');
    const { media, granted } = await uploadAndConfirm('model', 'TwoCubes.glb', bytes, 'model/gltf-binary');
    const again = await api.app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/media`,
      headers: auth,
      payload: { kind: 'model', uploadKey: granted.uploadKey },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(media.id);
    const [{ n }] = (await api.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM jobs WHERE payload->>'mediaId' = $1",
      [media.id],
    )) as [{ n: number }];
    expect(n).toBe(1);
    await processAll();
  });

  it('a corrupt GLB fails with the reason and leaves nothing behind', async () => {
    const before = storedAssets(api.config.dataDir);
    const truncated = model('DamagedHelmet.glb').subarray(0, 200_000);
    const { media, granted } = await uploadAndConfirm('model', 'broken.glb', truncated, 'model/gltf-binary');
    await processAll();
    const failed = await getMedia(media.id);
    expect(failed).toMatchObject({ status: 'failed', url: null, failure: { code: 'corrupt_binary' } });
    expect(failed.failure?.message).toMatch(/corrupt|truncated/i);
    expect(storedAssets(api.config.dataDir)).toEqual(before);
    expect(await api.runtime.store.head(granted.uploadKey)).toBeNull();
  });

  it('a file that is not glTF at all fails as not_gltf', async () => {
    const { media } = await uploadAndConfirm(
      'model',
      'notes.glb',
      strToU8('just some text, not a model'),
      'model/gltf-binary',
    );
    await processAll();
    expect((await getMedia(media.id)).failure?.code).toBe('not_gltf');
  });

  it('a zipped glTF pointing outside itself is refused without reading the file', async () => {
    const gltf = {
      asset: { version: '2.0' },
      buffers: [{ uri: '../../../../etc/passwd', byteLength: 36 }],
    };
    const zip = zipSync({ 'scene.gltf': strToU8(JSON.stringify(gltf)) });
    const { media } = await uploadAndConfirm('model', 'scene.zip', zip, 'application/zip');
    await processAll();
    expect((await getMedia(media.id)).failure?.code).toBe('external_reference');
  });

  it('refuses oversized and mistyped uploads before storing anything', async () => {
    const tooBig = await grant({
      kind: 'model',
      filename: 'x.glb',
      contentType: 'model/gltf-binary',
      byteSize: 10 ** 12,
    });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('upload_too_large');
    const wrongType = await grant({
      kind: 'image',
      filename: 'x.gif',
      contentType: 'image/gif',
      byteSize: 10,
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe('contentType');

    const granted = directUploadSchema.parse(
      (
        await grant({ kind: 'model', filename: 'small.glb', contentType: 'model/gltf-binary', byteSize: 100 })
      ).json(),
    );
    const larger = await send(granted.upload, new Uint8Array(5_000), 'model/gltf-binary');
    expect(larger.status).toBe(413);
    expect(((await larger.json()) as { code: string }).code).toBe('too_large');
    const otherType = await send(
      { ...granted.upload, fields: { ...granted.upload.fields } },
      new Uint8Array(50),
      'text/html',
    );
    expect([403, 415]).toContain(otherType.status);
    const forged = await send(
      { ...granted.upload, fields: { ...granted.upload.fields, 'x-e3d-max-bytes': '999999999' } },
      new Uint8Array(50),
      'model/gltf-binary',
    );
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { code: string }).code).toBe('signature_invalid');
    expect(await api.runtime.store.head(granted.uploadKey)).toBeNull();

    const missing = await api.app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/media`,
      headers: auth,
      payload: { kind: 'model', uploadKey: granted.uploadKey },
    });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().code).toBe('upload_missing');
  });

  it('answers malformed JSON and wrong types with 400 naming the problem', async () => {
    const malformed = await api.app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/media/uploads`,
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"kind": "model",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('malformed_json');
    const wrongTypes = await grant({
      kind: 'model',
      filename: 'a.glb',
      contentType: 'model/gltf-binary',
      byteSize: '12',
    });
    expect(wrongTypes.statusCode).toBe(400);
    expect(wrongTypes.json()).toMatchObject({ code: 'invalid_body', errors: [{ field: 'byteSize' }] });
    const unknownProduct = await api.app.inject({
      method: 'GET',
      url: '/api/admin/products/00000000-0000-4000-8000-000000000000/media',
      headers: auth,
    });
    expect(unknownProduct.statusCode).toBe(404);
  });

  it('uploads an image and makes WebP, AVIF and original renditions', async () => {
    const sharp = (await import('sharp')).default;
    const png = await sharp({ create: { width: 1500, height: 1000, channels: 3, background: '#c86432' } })
      .png()
      .toBuffer();
    const { media } = await uploadAndConfirm('image', 'photo.png', new Uint8Array(png), 'image/png');
    await processAll();
    const ready = await getMedia(media.id);
    expect(ready).toMatchObject({ status: 'ready', width: 1500, height: 1000, mimeType: 'image/webp' });
    const formats = new Set(ready.renditions.map((r) => r.format));
    expect(formats).toEqual(new Set(['webp', 'avif', 'png']));
    expect(Math.max(...ready.renditions.map((r) => r.width))).toBe(1500);

    // Its bytes are unique to it, so deleting it removes every rendition and the original.
    const keys = [ready.url, ready.originalUrl, ...ready.renditions.map((r) => r.url)].map((u) =>
      new URL(u ?? '').pathname.slice(1),
    );
    for (const key of keys) expect(await api.runtime.store.head(key), key).not.toBeNull();
    const deleted = await api.app.inject({
      method: 'DELETE',
      url: `/api/admin/media/${media.id}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    for (const key of keys) expect(await api.runtime.store.head(key), key).toBeNull();
  });

  it('replaces a model: the new file is served and the old files are removed', async () => {
    const { media } = await uploadAndConfirm(
      'model',
      'ShapeCollection.glb',
      model('ShapeCollection.glb'),
      'model/gltf-binary',
    );
    await processAll();
    const first = await getMedia(media.id);
    const granted = directUploadSchema.parse(
      (
        await grant({
          kind: 'model',
          filename: 'TwoCubes.glb',
          contentType: 'model/gltf-binary',
          byteSize: model('TwoCubes.glb').byteLength,
        })
      ).json(),
    );
    await send(granted.upload, model('TwoCubes.glb'), 'model/gltf-binary');
    const replaced = await api.app.inject({
      method: 'POST',
      url: `/api/admin/media/${media.id}/replace`,
      headers: auth,
      payload: { uploadKey: granted.uploadKey },
    });
    expect(replaced.statusCode).toBe(202);
    await processAll();
    const second = await getMedia(media.id);
    expect(second.status).toBe('ready');
    expect(second.url).not.toBe(first.url);
    expect(second.stats?.triangles).toBeLessThan(first.stats?.triangles ?? 0);
    const [replacedEntry] = await api.db.query<{ before: { url: string }; after: { status: string } }>(
      `SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'media.replace'`,
      [media.id],
    );
    expect(replacedEntry).toMatchObject({ before: { url: first.url }, after: { status: 'uploaded' } });
    // The old file goes, unless another media serves the same bytes (the demo desk set does).
    const oldKey = new URL(first.url ?? '').pathname.slice(1);
    const users = await api.db.query('SELECT 1 FROM product_media WHERE storage_key = $1', [oldKey]);
    expect(await api.runtime.store.head(oldKey)).toEqual(users.length > 0 ? expect.anything() : null);
    const originalKey = new URL(first.originalUrl ?? '').pathname.slice(1);
    const originalUsers = await api.db.query('SELECT 1 FROM product_media WHERE original_key = $1', [
      originalKey,
    ]);
    expect(await api.runtime.store.head(originalKey)).toEqual(
      originalUsers.length > 0 ? expect.anything() : null,
    );
  });

  it('deletes media and its files', async () => {
    const { media } = await uploadAndConfirm(
      'model',
      'TwoCubes.glb',
      model('ShapeCollection.glb'),
      'model/gltf-binary',
    );
    await processAll();
    const ready = await getMedia(media.id);
    const key = new URL(ready.url ?? '').pathname.slice(1);
    const shared = await api.db.query('SELECT 1 FROM product_media WHERE storage_key = $1 AND id <> $2', [
      key,
      media.id,
    ]);
    const deleted = await api.app.inject({
      method: 'DELETE',
      url: `/api/admin/media/${media.id}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    expect(
      (await api.app.inject({ method: 'GET', url: `/api/admin/media/${media.id}`, headers: auth }))
        .statusCode,
    ).toBe(404);
    if (shared.length === 0) expect(await api.runtime.store.head(key)).toBeNull();
    // Each staff write is in the audit log, with what it changed.
    const audit = await api.db.query<{ action: string; before: { id: string } | null; after: unknown }>(
      'SELECT action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id',
      [media.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['media.confirm', 'media.delete']);
    expect(audit[1]?.before?.id).toBe(media.id);
    expect(audit[1]?.after).toBeNull();
  });
});
