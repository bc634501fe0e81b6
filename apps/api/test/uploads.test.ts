import { randomBytes, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { problemSchema } from '@e3d/contracts';
import { type DirectUpload, openStoreFromConfig, uploadKey } from '@e3d/storage';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { openRuntime } from '../src/runtime.ts';

const GLB = 'model/gltf-binary';
const MAX = 512 * 1024;

async function bodyOf(api: TestApi, key: string): Promise<Buffer | null> {
  const object = await api.runtime.store.get(key);
  if (!object) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe.each(BACKENDS)('local signed upload forms on %s', (backend) => {
  let api: TestApi;
  let base: string;

  const grant = (maxBytes = MAX) =>
    api.runtime.store.createUpload({
      key: uploadKey('chair.glb'),
      contentType: GLB,
      maxBytes,
      expiresInSeconds: 600,
    });

  /** What a browser does with the form: every signed field, then the file. */
  const post = (upload: DirectUpload, bytes: Uint8Array, to = base) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: GLB }), 'chair.glb');
    return fetch(`${to}${new URL(upload.url).pathname}`, { method: 'POST', body: form });
  };
  const codeOf = async (response: Response) => problemSchema.parse(await response.json()).code;
  const incoming = () => readdir(path.join(api.config.dataDir, 'storage', '.incoming')).catch(() => []);

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
    base = await api.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('takes a form once: posting it again is 409 upload_already_used and the first file stays', async () => {
    const upload = await grant();
    const first = randomBytes(1_000);
    expect((await post(upload, first)).status).toBe(201);
    const again = await post(upload, randomBytes(2_000));
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('upload_already_used');
    expect((await bodyOf(api, upload.fields.key ?? ''))?.equals(first)).toBe(true);
    expect(await incoming()).toEqual([]);
  });

  it('lets exactly one of two concurrent posts of the same form in, whole', async () => {
    for (let round = 0; round < 3; round++) {
      const upload = await grant();
      const bodies = [randomBytes(MAX), randomBytes(MAX - 1)];
      const answers = await Promise.all(bodies.map((bytes) => post(upload, bytes)));
      const statuses = answers.map((r) => r.status);
      expect([...statuses].sort()).toEqual([201, 409]);
      const loser = answers[statuses.indexOf(409)] as Response;
      expect(await codeOf(loser)).toBe('upload_already_used');
      const winner = bodies[statuses.indexOf(201)] as Buffer;
      const stored = await bodyOf(api, upload.fields.key ?? '');
      expect(stored?.byteLength).toBe(winner.byteLength);
      expect(stored?.equals(winner)).toBe(true);
      expect(await incoming()).toEqual([]);
    }
  });

  it('remembers a used form in storage: another API task (or a restart) refuses it too', async () => {
    const upload = await grant();
    expect((await post(upload, randomBytes(100))).status).toBe(201);
    const runtime = await openRuntime(api.config, {
      db: api.db,
      store: await openStoreFromConfig(api.config),
      redisKeyPrefix: `e3d-test:${randomUUID()}:`,
    });
    let other: FastifyInstance | undefined;
    try {
      other = await buildApp(runtime);
      const otherBase = await other.listen({ host: '127.0.0.1', port: 0 });
      const replay = await post(upload, randomBytes(100), otherBase);
      expect(replay.status).toBe(409);
      expect(await codeOf(replay)).toBe('upload_already_used');
    } finally {
      await other?.close();
      await runtime.close();
    }
  });

  it('does not use a form up on a refused post', async () => {
    const upload = await grant(1_000);
    const tooLarge = await post(upload, randomBytes(5_000));
    expect(tooLarge.status).toBe(413);
    expect((await post(upload, randomBytes(1_000))).status).toBe(201);
    expect((await post(upload, randomBytes(1_000))).status).toBe(409);
  });
});
