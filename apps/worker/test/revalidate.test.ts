import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_MODELS_DIR, REVALIDATE_QUEUE } from '@e3d/catalog';
import { MEDIA_QUEUE } from '@e3d/media';
import { uploadKey } from '@e3d/storage';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { startRevalidateServer } from '@e3d/testing/revalidate-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerService, type WorkerService } from '../src/index.ts';

/**
 * The worker tells the storefront when processing changes what a product page shows: the call
 * is queued with the media's `ready` (or `failed`) flip, so a storefront that is down gets it on
 * a retry, and the media job itself succeeds whatever the storefront answers.
 */

const SECRET = 'worker-revalidate-secret-0123456789abcdef';
const CUBES = readFileSync(path.join(DEMO_MODELS_DIR, 'TwoCubes.glb'));

interface JobRow {
  queue: string;
  state: string;
  attempts: number;
  last_error: string | null;
  payload: { tags?: string[]; mediaId?: string };
}

describe.each(BACKENDS)('worker: storefront revalidation after media processing (%s)', (backend) => {
  let api: TestApi;
  let worker: WorkerService;
  let storefront: Awaited<ReturnType<typeof startRevalidateServer>>;
  let auth: { authorization: string };

  const jobs = () =>
    api.db.query<JobRow>(
      'SELECT queue, state, attempts, last_error, payload FROM jobs WHERE queue = ANY($1) ORDER BY id',
      [[MEDIA_QUEUE, REVALIDATE_QUEUE]],
    );

  /** Polls until `check` holds; the deadline only bounds a stuck worker. */
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 40_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const createProduct = async (handle: string, status: 'published' | 'draft') => {
    const [row] = await api.db.query<{ id: string }>(
      `INSERT INTO products (handle, title, status, published_at)
       VALUES ($1, $1, $2::product_status, CASE WHEN $2::text = 'published' THEN now() END) RETURNING id`,
      [handle, status],
    );
    return row?.id ?? '';
  };

  /** The file lands in staging as a direct upload would, then staff confirm it (or replace with it). */
  const stage = async (bytes: Uint8Array) => {
    const key = uploadKey('model.glb');
    await api.runtime.store.put(key, bytes, { contentType: 'model/gltf-binary' });
    return key;
  };
  const confirm = async (productId: string, bytes: Uint8Array) => {
    const response = await api.app.inject({
      method: 'POST',
      url: `/api/admin/products/${productId}/media`,
      headers: auth,
      payload: { kind: 'model', uploadKey: await stage(bytes), alt: 'model' },
    });
    expect(response.statusCode, response.body).toBe(202);
    return response.json() as { id: string };
  };
  const mediaStatus = async (id: string) =>
    (await api.db.query<{ status: string }>('SELECT status FROM product_media WHERE id = $1', [id]))[0]
      ?.status;
  const live = (j: JobRow) => j.state === 'queued' || j.state === 'running';
  const mediaJobsDone = async () => !(await jobs()).some((j) => j.queue === MEDIA_QUEUE && live(j));
  const allJobsDone = async () => !(await jobs()).some(live);
  const tagsSent = () => storefront.calls.map((c) => (c.body as { tags: string[] }).tags);

  beforeAll(async () => {
    storefront = await startRevalidateServer();
    api = await startTestApi(backend, {
      seed: false,
      env: { STOREFRONT_REVALIDATE_URL: storefront.url, REVALIDATE_SECRET: SECRET },
    });
    auth = { authorization: `Bearer ${(await staffToken(api, 'catalog_editor')).token}` };
    worker = await startWorkerService(api.config, { db: api.db, store: api.runtime.store });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await storefront?.close();
  });

  it('queues the call with the ready flip; a storefront that is down gets it on a retry', async () => {
    const productId = await createProduct('lamp-with-model', 'published');
    storefront.state.down = true;
    const media = await confirm(productId, CUBES);
    await until('the media job to finish', mediaJobsDone);
    expect(await mediaStatus(media.id)).toBe('ready');
    // Queued in the ready flip's transaction: there the moment the media is.
    const [call] = (await jobs()).filter((j) => j.queue === REVALIDATE_QUEUE);
    expect(call?.payload).toEqual({ tags: ['product:lamp-with-model', 'products'] });

    // The media job succeeded whatever the storefront answers; its call waits for a retry.
    await until('the storefront call to fail once', async () =>
      (await jobs()).some((j) => j.queue === REVALIDATE_QUEUE && j.attempts > 0 && j.state === 'queued'),
    );
    expect((await jobs()).find((j) => j.queue === REVALIDATE_QUEUE)).toMatchObject({
      state: 'queued',
      attempts: 1,
      last_error: 'storefront revalidation answered 503',
    });
    expect((await jobs()).find((j) => j.queue === MEDIA_QUEUE)).toMatchObject({ state: 'succeeded' });

    storefront.state.down = false;
    await api.db.query(`UPDATE jobs SET run_at = now() WHERE queue = $1 AND state = 'queued'`, [
      REVALIDATE_QUEUE,
    ]);
    await until('every job to be done', allJobsDone);
    expect(tagsSent()).toEqual([['product:lamp-with-model', 'products']]);
    expect(storefront.calls[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('tells it when a replacement fails (the page drops the model), not for a draft', async () => {
    storefront.calls.length = 0;
    const draft = await createProduct('draft-with-model', 'draft');
    const draftMedia = await confirm(draft, CUBES);
    await until('the draft model to be processed', mediaJobsDone);
    expect(await mediaStatus(draftMedia.id)).toBe('ready');

    const [served] = await api.db.query<{ id: string }>(
      `SELECT m.id FROM product_media m JOIN products p ON p.id = m.product_id WHERE p.handle = 'lamp-with-model'`,
    );
    const replaced = await api.app.inject({
      method: 'POST',
      url: `/api/admin/media/${served?.id}/replace`,
      headers: auth,
      payload: { uploadKey: await stage(CUBES.subarray(0, 1000)) },
    });
    expect(replaced.statusCode, replaced.body).toBe(202);
    await until('the replacement to be processed', mediaJobsDone);
    expect(await mediaStatus(served?.id ?? '')).toBe('failed');
    await until('every job to be done', allJobsDone);
    expect(tagsSent()).toEqual([['product:lamp-with-model', 'products']]);
  });
});
