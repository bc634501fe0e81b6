import { adminMediaSchema, productDetailSchema } from '@e3d/contracts';
import { type Client, client } from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { eventually } from '@e3d/testing/eventually';
import { BACKENDS } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(BACKENDS)("a model's poster image (%s)", (backend) => {
  let api: TestApi;
  let editor: Client;
  let support: Client;
  /** A published product with a ready model and ready images, and another product's image. */
  let product: { id: string; handle: string; modelId: string; imageIds: string[] };
  let strangerImageId: string;

  const patch = (mediaId: string, body: object, as: Client = editor) =>
    as('PATCH', `/api/admin/media/${mediaId}`, body);
  const refusal = (response: { status: number; body: { code?: string } | null }) => ({
    status: response.status,
    code: response.body?.code,
  });
  /** The poster the storefront's product page gives the model. */
  const storefrontPoster = async () => {
    const response = await api.app.inject({ method: 'GET', url: `/api/products/${product.handle}` });
    expect(response.statusCode).toBe(200);
    const detail = productDetailSchema.parse(response.json());
    return detail.models.find((m) => m.id === product.modelId)?.posterImageId;
  };
  const addMedia = async (productId: string, kind: 'image' | 'model', status: string) => {
    const [row] = await api.db.query<{ id: string }>(
      `INSERT INTO product_media (product_id, kind, status, failure_code, position)
       VALUES ($1, $2::media_kind, $3::media_status, $4, 100) RETURNING id`,
      [productId, kind, status, status === 'failed' ? 'not_an_image' : null],
    );
    return row?.id ?? '';
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: 'fixture' });
    editor = client(api, (await staffToken(api, 'catalog_editor')).token);
    support = client(api, (await staffToken(api, 'support')).token);
    const [row] = await api.db.query<{ id: string; handle: string; model_id: string; image_ids: string[] }>(
      `SELECT p.id, p.handle,
              (SELECT m.id FROM product_media m WHERE m.product_id = p.id AND m.kind = 'model' AND m.status = 'ready'
                ORDER BY m.position LIMIT 1) AS model_id,
              ARRAY(SELECT m.id FROM product_media m WHERE m.product_id = p.id AND m.kind = 'image'
                AND m.status = 'ready' ORDER BY m.position, m.id) AS image_ids
         FROM products p
        WHERE p.status = 'published'
          AND EXISTS (SELECT 1 FROM product_media m WHERE m.product_id = p.id AND m.kind = 'model' AND m.status = 'ready')
          AND (SELECT count(*) FROM product_media m WHERE m.product_id = p.id AND m.kind = 'image' AND m.status = 'ready') >= 2
        ORDER BY p.handle LIMIT 1`,
    );
    expect(row).toBeDefined();
    product = {
      id: row?.id ?? '',
      handle: row?.handle ?? '',
      modelId: row?.model_id ?? '',
      imageIds: row?.image_ids ?? [],
    };
    const [stranger] = await api.db.query<{ id: string }>(
      `SELECT m.id FROM product_media m WHERE m.product_id <> $1 AND m.kind = 'image' AND m.status = 'ready' LIMIT 1`,
      [product.id],
    );
    strangerImageId = stranger?.id ?? '';
    expect(strangerImageId).not.toBe('');
  }, 120_000);
  afterAll(() => api?.close());

  it('starts without a poster: the storefront falls back to the first image', async () => {
    const media = adminMediaSchema.parse((await editor('GET', `/api/admin/media/${product.modelId}`)).body);
    expect(media.posterMediaId).toBeNull();
    expect(await storefrontPoster()).toBeNull();
  });

  it('sets an image of the same product as the poster; the storefront names it; audited', async () => {
    const poster = product.imageIds[1] as string;
    const response = await patch(product.modelId, { posterMediaId: poster });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(adminMediaSchema.parse(response.body).posterMediaId).toBe(poster);
    await eventually(async () => expect(await storefrontPoster()).toBe(poster));
    const [entry] = await api.db.query<{ before: unknown; after: unknown }>(
      `SELECT before, after FROM audit_log WHERE action = 'media.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [product.modelId],
    );
    expect(entry).toMatchObject({ before: { posterMediaId: null }, after: { posterMediaId: poster } });

    // Other fields of the PATCH leave the poster alone.
    const renamed = await patch(product.modelId, { alt: 'A model with a poster' });
    expect(adminMediaSchema.parse(renamed.body).posterMediaId).toBe(poster);
  });

  it('refuses a poster that is not an image of this product, or on a non-model: 400 poster_invalid', async () => {
    const before = adminMediaSchema.parse((await editor('GET', `/api/admin/media/${product.modelId}`)).body);
    const otherModel = await addMedia(product.id, 'model', 'uploaded');
    const failedImage = await addMedia(product.id, 'image', 'failed');
    const cases: [string, string, object][] = [
      ["another product's image", product.modelId, { posterMediaId: strangerImageId }],
      ['the model itself', product.modelId, { posterMediaId: product.modelId }],
      ['another model', product.modelId, { posterMediaId: otherModel }],
      ['a failed image', product.modelId, { posterMediaId: failedImage }],
      ['an unknown media', product.modelId, { posterMediaId: '00000000-0000-4000-8000-000000000000' }],
      ['a poster on an image', product.imageIds[0] as string, { posterMediaId: product.imageIds[1] }],
    ];
    for (const [name, mediaId, body] of cases) {
      const response = await patch(mediaId, body);
      expect(refusal(response), name).toEqual({ status: 400, code: 'poster_invalid' });
      expect(response.body.errors?.[0]?.field, name).toBe('posterMediaId');
    }
    expect(refusal(await patch(product.modelId, { posterMediaId: 'nope' }))).toEqual({
      status: 400,
      code: 'invalid_body',
    });
    expect(refusal(await patch(product.modelId, { posterMediaId: product.imageIds[0] }, support))).toEqual({
      status: 403,
      code: 'forbidden',
    });
    // Nothing changed.
    const after = adminMediaSchema.parse((await editor('GET', `/api/admin/media/${product.modelId}`)).body);
    expect(after.posterMediaId).toBe(before.posterMediaId);
  });

  it('accepts a just-uploaded capture; the storefront shows it only once it is ready', async () => {
    const capture = await addMedia(product.id, 'image', 'uploaded');
    const response = await patch(product.modelId, { posterMediaId: capture });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(adminMediaSchema.parse(response.body).posterMediaId).toBe(capture);
    await eventually(async () => expect(await storefrontPoster()).toBeNull());
  });

  it('clears with null, and deleting the poster image clears it too', async () => {
    const poster = product.imageIds[1] as string;
    expect((await patch(product.modelId, { posterMediaId: poster })).status).toBe(200);
    const cleared = await patch(product.modelId, { posterMediaId: null });
    expect(cleared.status).toBe(200);
    expect(adminMediaSchema.parse(cleared.body).posterMediaId).toBeNull();

    expect((await patch(product.modelId, { posterMediaId: poster })).status).toBe(200);
    await eventually(async () => expect(await storefrontPoster()).toBe(poster));
    expect((await editor('DELETE', `/api/admin/media/${poster}`)).status).toBe(204);
    const media = adminMediaSchema.parse((await editor('GET', `/api/admin/media/${product.modelId}`)).body);
    expect(media.posterMediaId).toBeNull();
    await eventually(async () => expect(await storefrontPoster()).toBeNull());
  });

  it('documents the field in OpenAPI', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.schemas.MediaUpdate.properties.posterMediaId).toBeDefined();
    expect(doc.components.schemas.AdminMedia.properties.posterMediaId).toBeDefined();
    expect(doc.components.schemas.Model.properties.posterImageId).toBeDefined();
    expect(Object.keys(doc.paths['/api/admin/media/{mediaId}'].patch.responses)).toContain('400');
  });
});
