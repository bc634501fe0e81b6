import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalStore,
  type DirectUpload,
  LOCAL_UPLOAD_FIELDS,
  type ObjectStore,
  receiveLocalUpload,
  StorageKeyError,
  sha256,
  signLocalUpload,
  UploadRejectedError,
  uploadKey,
  verifyLocalUpload,
} from '../src/index.ts';
import { postUpload, startUploadServer } from './support/upload-server.ts';

const GLB = 'model/gltf-binary';
const MAX = 1000;
const secret = randomBytes(32);

/** Every file under `dir`, relative, so a test can say "nothing was left behind". */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

async function rejection(promise: Promise<unknown> | (() => unknown)): Promise<UploadRejectedError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(UploadRejectedError);
    return error as UploadRejectedError;
  }
  throw new Error('expected an UploadRejectedError');
}

describe('local direct uploads', () => {
  let root: string;
  let store: ObjectStore;
  let key: string;
  let upload: DirectUpload;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'e3d-local-upload-'));
    store = createLocalStore({
      root: path.join(root, 'storage'),
      publicBaseUrl: 'http://localhost:4000',
      signingSecret: secret,
      uploadBaseUrl: 'http://localhost:4000/api/uploads/local',
    });
    key = uploadKey('chair.glb');
    upload = await store.createUpload({ key, contentType: GLB, maxBytes: MAX, expiresInSeconds: 600 });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('grants a signed, expiring POST to the upload URL', () => {
    expect(upload).toMatchObject({ method: 'POST', url: 'http://localhost:4000/api/uploads/local' });
    expect(Object.keys(upload.fields).sort()).toEqual(Object.values(LOCAL_UPLOAD_FIELDS).sort());
    expect(upload.fields).toMatchObject({ key, 'Content-Type': GLB, 'x-e3d-max-bytes': String(MAX) });
    expect(Number(upload.fields['x-e3d-expires']) * 1000).toBe(Date.parse(upload.expiresAt));
    expect(upload.fields['x-e3d-signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies the grant and receives the file at its key', async () => {
    expect(verifyLocalUpload(upload.fields, secret)).toMatchObject({ key, contentType: GLB, maxBytes: MAX });
    const bytes = randomBytes(MAX);
    const received = await receiveLocalUpload(
      store,
      upload.fields,
      Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]),
      GLB,
    );
    expect(received).toEqual({ key, contentType: GLB, byteSize: MAX, etag: `"${sha256(bytes)}"` });
    expect(await store.head(key)).toMatchObject({
      contentType: GLB,
      cacheControl: 'private, no-store',
      byteSize: MAX,
    });
    expect(await filesUnder(path.join(root, 'storage', '.incoming'))).toEqual([]);
  });

  it('accepts a media type parameter on the declared type', async () => {
    await receiveLocalUpload(
      store,
      upload.fields,
      Readable.from([Buffer.from('x')]),
      'Model/glTF-Binary; foo=1',
    );
    expect(await store.head(key)).not.toBeNull();
  });

  it('receives a form once, also in a store opened later on the same folder', async () => {
    const first = randomBytes(100);
    await receiveLocalUpload(store, upload.fields, Readable.from([first]), GLB);
    const again = await rejection(
      receiveLocalUpload(store, upload.fields, Readable.from([randomBytes(200)]), GLB),
    );
    expect(again.code).toBe('upload_already_used');
    expect(again.status).toBe(409);
    const restarted = createLocalStore({
      root: path.join(root, 'storage'),
      publicBaseUrl: 'http://localhost:4000',
      signingSecret: secret,
      uploadBaseUrl: 'http://localhost:4000/api/uploads/local',
    });
    expect(
      (await rejection(receiveLocalUpload(restarted, upload.fields, Readable.from([randomBytes(300)]), GLB)))
        .code,
    ).toBe('upload_already_used');
    expect((await store.head(key))?.etag).toBe(`"${sha256(first)}"`);
    expect(await filesUnder(path.join(root, 'storage', '.incoming'))).toEqual([]);
  });

  it('lets exactly one of two concurrent receipts of a form in, and never a mix of both', async () => {
    const bodies = [randomBytes(MAX), randomBytes(MAX - 1)];
    // Each body stops after its first chunk until both receipts are writing, so both are past
    // the grant check when they race for the form.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writing: Promise<void>[] = [];
    const streams = bodies.map((bytes) => {
      let started = () => {};
      writing.push(
        new Promise<void>((resolve) => {
          started = resolve;
        }),
      );
      return Readable.from(
        (async function* () {
          yield bytes.subarray(0, 10);
          started();
          await gate;
          yield bytes.subarray(10);
        })(),
      );
    });
    const receipts = streams.map((stream) =>
      receiveLocalUpload(store, upload.fields, stream, GLB).then(
        (received) => ({ received }),
        (error: unknown) => ({ error }),
      ),
    );
    await Promise.all(writing);
    release();
    const outcomes = await Promise.all(receipts);
    const won = outcomes.flatMap((o, i) => ('received' in o ? [i] : []));
    expect(won).toHaveLength(1);
    const lost = outcomes.find((o) => 'error' in o) as { error: UploadRejectedError };
    expect(lost.error).toBeInstanceOf(UploadRejectedError);
    expect(lost.error.code).toBe('upload_already_used');
    const winner = bodies[won[0] as number] as Buffer;
    expect(await store.head(key)).toMatchObject({ byteSize: winner.byteLength, etag: `"${sha256(winner)}"` });
    expect(await filesUnder(path.join(root, 'storage', '.incoming'))).toEqual([]);
  });

  it('forgets used forms once their grants are long expired', async () => {
    const used = path.join(root, 'storage', '.used-forms');
    await mkdir(path.join(used, '2000-01-01'), { recursive: true });
    await writeFile(path.join(used, '2000-01-01', 'a'.repeat(64)), '{}');
    await receiveLocalUpload(store, upload.fields, Readable.from([Buffer.from('x')]), GLB);
    const days = await readdir(used);
    expect(days).toEqual([upload.expiresAt.slice(0, 10)]);
  });

  it('keeps a refused receipt from using the form up', async () => {
    expect((await rejection(receiveLocalUpload(store, upload.fields, Readable.from([]), GLB))).code).toBe(
      'too_small',
    );
    await receiveLocalUpload(store, upload.fields, Readable.from([Buffer.from('x')]), GLB);
    expect(await store.head(key)).not.toBeNull();
  });

  it('refuses forged or tampered signatures', async () => {
    const forged = { ...upload.fields, [LOCAL_UPLOAD_FIELDS.signature]: '0'.repeat(64) };
    expect((await rejection(() => verifyLocalUpload(forged, secret))).code).toBe('signature_invalid');
    for (const [name, value] of [
      ['Content-Type', 'text/html'],
      ['x-e3d-max-bytes', String(10 * MAX)],
      ['x-e3d-expires', String(Number(upload.fields['x-e3d-expires']) + 3600)],
      ['key', uploadKey('other.glb')],
    ] as const) {
      const error = await rejection(() => verifyLocalUpload({ ...upload.fields, [name]: value }, secret));
      expect(error.code, name).toBe('signature_invalid');
      expect(error.status).toBe(403);
    }
    const otherSecret = randomBytes(32);
    expect((await rejection(() => verifyLocalUpload(upload.fields, otherSecret))).code).toBe(
      'signature_invalid',
    );
    const { [LOCAL_UPLOAD_FIELDS.signature]: _, ...unsigned } = upload.fields;
    expect((await rejection(() => verifyLocalUpload(unsigned, secret))).message).toMatch(
      /x-e3d-signature is missing/,
    );
    // @fastify/multipart gives an array for a field sent twice.
    const twice = { ...upload.fields, key: [{ value: key }, { value: uploadKey('b.glb') }] };
    expect((await rejection(() => verifyLocalUpload(twice, secret))).message).toMatch(/more than once/);

    const error = await rejection(receiveLocalUpload(store, forged, Readable.from([Buffer.from('x')]), GLB));
    expect(error.code).toBe('signature_invalid');
    expect(await store.head(key)).toBeNull();
  });

  it('refuses an expired grant', async () => {
    const after = Date.parse(upload.expiresAt);
    expect(verifyLocalUpload(upload.fields, secret, after - 1).key).toBe(key);
    expect((await rejection(() => verifyLocalUpload(upload.fields, secret, after))).code).toBe(
      'upload_expired',
    );
    const error = await rejection(
      receiveLocalUpload(store, upload.fields, Readable.from([Buffer.from('x')]), GLB, {
        now: new Date(after + 1000),
      }),
    );
    expect(error.code).toBe('upload_expired');
    expect(await store.head(key)).toBeNull();
  });

  it('refuses a file sent with another type than granted', async () => {
    const error = await rejection(
      receiveLocalUpload(store, upload.fields, Readable.from([Buffer.from('x')]), 'text/html'),
    );
    expect(error).toMatchObject({ code: 'content_type_mismatch', status: 415 });
    expect(await store.head(key)).toBeNull();
  });

  it('refuses a body over maxBytes after maxBytes + 1 bytes, leaves nothing behind and drains the rest', {
    timeout: 5000,
  }, async () => {
    let produced = 0;
    const source = new Readable({
      read() {
        // 50 chunks of 100 bytes: five times the limit.
        produced++;
        this.push(produced <= 50 ? randomBytes(100) : null);
      },
    });
    const error = await rejection(receiveLocalUpload(store, upload.fields, source, GLB));
    expect(error).toMatchObject({ code: 'too_large', status: 413 });
    expect(await store.head(key)).toBeNull();
    expect(await filesUnder(root)).toEqual([]);
    // The rest of the body was read and discarded, so an HTTP client can read the answer.
    if (!source.readableEnded) await once(source, 'end');
    expect(produced).toBe(51);
  });

  it('refuses an empty body', async () => {
    const error = await rejection(receiveLocalUpload(store, upload.fields, Readable.from([]), GLB));
    expect(error.code).toBe('too_small');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('never writes outside the staging prefix: traversal keys are refused at every step', async () => {
    const evil = `${key}/../../../assets/models/evil.glb`;
    await expect(
      store.createUpload({ key: evil, contentType: GLB, maxBytes: MAX, expiresInSeconds: 60 }),
    ).rejects.toThrow(StorageKeyError);
    await expect(
      store.createUpload({
        key: 'assets/models/evil.glb',
        contentType: GLB,
        maxBytes: MAX,
        expiresInSeconds: 60,
      }),
    ).rejects.toThrow(StorageKeyError);

    // Tampering with the key breaks the signature…
    const tampered = await rejection(
      receiveLocalUpload(store, { ...upload.fields, key: evil }, Readable.from([Buffer.from('x')]), GLB),
    );
    expect(tampered.code).toBe('signature_invalid');

    // …and even a validly signed traversal key (only possible with the secret) is refused.
    const expiresAt = new Date(Date.now() + 60_000);
    for (const badKey of [evil, '../../outside.glb', 'assets/models/evil.glb']) {
      const fields = signLocalUpload(secret, { key: badKey, contentType: GLB, maxBytes: MAX, expiresAt });
      const error = await rejection(
        receiveLocalUpload(store, fields, Readable.from([Buffer.from('x')]), GLB),
      );
      expect(error.code, badKey).toBe('key_mismatch');
    }
    expect(await filesUnder(root)).toEqual([]);

    // A route that knows which key it granted can insist on it.
    const other = await rejection(
      receiveLocalUpload(store, upload.fields, Readable.from([Buffer.from('x')]), GLB, {
        expectedKey: uploadKey('x.glb'),
      }),
    );
    expect(other.code).toBe('key_mismatch');
  });

  it('refuses to grant uploads without a signing secret', async () => {
    const unsigned = createLocalStore({ root, publicBaseUrl: 'http://x' });
    await expect(
      unsigned.createUpload({ key, contentType: GLB, maxBytes: 1, expiresInSeconds: 1 }),
    ).rejects.toThrow(/signingSecret/);
    await expect(receiveLocalUpload(unsigned, upload.fields, Readable.from([]), GLB)).rejects.toThrow(
      /signingSecret/,
    );
  });
});

describe('local direct uploads over HTTP (@fastify/multipart route)', () => {
  let root: string;
  let store: ObjectStore;
  let server: Awaited<ReturnType<typeof startUploadServer>>;
  const grant = (maxBytes = MAX) =>
    store.createUpload({ key: uploadKey('model.glb'), contentType: GLB, maxBytes, expiresInSeconds: 60 });

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'e3d-local-http-'));
    // The route's multipart limit is 4 × MAX: grants above it are cut by the parser.
    server = await startUploadServer(() => store, 4 * MAX);
    store = createLocalStore({
      root,
      publicBaseUrl: server.baseUrl,
      signingSecret: secret,
      uploadBaseUrl: server.uploadUrl,
    });
  });
  afterAll(async () => {
    await server?.app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('stores a valid upload', async () => {
    const upload = await grant();
    const response = await postUpload(upload, randomBytes(MAX), GLB);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ key: upload.fields.key, byteSize: MAX, contentType: GLB });
  });

  it('answers 413 too_large to a body over the grant, with nothing left behind', async () => {
    const upload = await grant();
    const response = await postUpload(upload, randomBytes(3 * MAX), GLB);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ code: 'too_large' });
    expect(await store.head(upload.fields.key ?? '')).toBeNull();
    // Only the earlier tests' objects and their used-form records.
    expect(
      (await filesUnder(root)).filter((f) => !f.startsWith('uploads/') && !f.startsWith('.used-forms/')),
    ).toEqual([]);
    // A refused upload leaves its form usable.
    expect((await postUpload(upload, randomBytes(MAX), GLB)).status).toBe(201);
  });

  it('answers 413 when the parser cut a body larger than its own limit', async () => {
    const upload = await grant(100 * MAX);
    const response = await postUpload(upload, randomBytes(10 * MAX), GLB);
    expect(response.status).toBe(413);
    expect(await store.head(upload.fields.key ?? '')).toBeNull();
  });

  it('answers 415 to a file sent as another type and 403 to a forged form', async () => {
    const upload = await grant();
    expect((await postUpload(upload, randomBytes(10), 'text/html')).status).toBe(415);
    const forged = { ...upload.fields, 'x-e3d-max-bytes': String(100 * MAX) };
    const response = await postUpload(upload, randomBytes(10), GLB, forged);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 'signature_invalid' });
  });
});
