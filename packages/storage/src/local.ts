import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { assertPublicKey, assertUploadKey, assertValidKey, cacheControlFor, sha256 } from './keys.ts';
import { assertUploadRequest, type ObjectStore, type StoredObjectMeta } from './store.ts';
import {
  type SigningSecret,
  signLocalUpload,
  type UploadFormFields,
  UploadRejectedError,
  type VerifiedLocalUpload,
  verifyLocalUpload,
} from './upload-signing.ts';

export interface LocalStoreOptions {
  root: string;
  publicBaseUrl: string;
  /** Signs direct-upload grants; without it `createUpload` refuses. */
  signingSecret?: SigningSecret;
  /** Where browsers POST local uploads, e.g. `http://localhost:4000/api/uploads/local`. */
  uploadBaseUrl?: string;
}

interface LocalInternals {
  root: string;
  signingSecret: SigningSecret | undefined;
  fileOf(key: string): string;
  /** Moves a finished temporary file into place at `key`, with its metadata. */
  commit(key: string, tmpFile: string, meta: StoredObjectMeta): Promise<void>;
}

const internals = new WeakMap<ObjectStore, LocalInternals>();

/** Uploads in flight are written here, a name no key can take (keys never start with a dot). */
const INCOMING_DIR = '.incoming';

/**
 * Forms already received, one empty-ish file per form under the day its grant expires
 * (`<yyyy-mm-dd>/<form id>`). On disk beside the objects, so the record outlives a restart and
 * is shared by every API task that shares the folder (as they must, to share the objects).
 */
const USED_FORMS_DIR = '.used-forms';

/** Days of records kept past their grants' expiry: a form expired by then is refused anyway. */
const USED_FORMS_KEPT_DAYS = 2;

const usedFormMarker = (root: string, grant: VerifiedLocalUpload) =>
  path.join(root, USED_FORMS_DIR, grant.expiresAt.toISOString().slice(0, 10), grant.id);

async function formWasUsed(root: string, grant: VerifiedLocalUpload): Promise<boolean> {
  try {
    await access(usedFormMarker(root, grant));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Takes the form for this receipt: an exclusive create, so of two receipts of one form (in
 * one process or in two tasks) exactly one gets it. False when another already has.
 */
async function claimForm(root: string, grant: VerifiedLocalUpload): Promise<boolean> {
  const marker = usedFormMarker(root, grant);
  await mkdir(path.dirname(marker), { recursive: true });
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(marker, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(JSON.stringify({ key: grant.key, usedAt: new Date().toISOString() }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** Drops the records of days whose forms have all expired; best effort, any receipt may do it. */
async function pruneUsedForms(root: string, now: number): Promise<void> {
  const cutoff = new Date(now - USED_FORMS_KEPT_DAYS * 86_400_000).toISOString().slice(0, 10);
  const days = await readdir(path.join(root, USED_FORMS_DIR)).catch(() => [] as string[]);
  await Promise.all(
    days
      .filter((day) => /^\d{4}-\d{2}-\d{2}$/.test(day) && day < cutoff)
      .map((day) =>
        rm(path.join(root, USED_FORMS_DIR, day), { recursive: true, force: true }).catch(() => {}),
      ),
  );
}

const alreadyUsed = () =>
  new UploadRejectedError(
    'upload_already_used',
    'this upload form was used already: ask for a new one to upload another file',
  );

/**
 * The embedded default: objects in a folder, with their metadata beside them as S3 keeps
 * it. Writes go to a temporary file renamed into place, so a reader never sees half a file.
 */
export function createLocalStore(options: LocalStoreOptions): ObjectStore {
  const { root, signingSecret } = options;
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  const fileOf = (key: string) => {
    assertValidKey(key);
    return path.join(root, key);
  };
  const metaOf = (file: string) => `${file}.meta.json`;

  async function head(key: string): Promise<StoredObjectMeta | null> {
    try {
      return JSON.parse(await readFile(metaOf(fileOf(key)), 'utf8')) as StoredObjectMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async function commit(key: string, tmpFile: string, meta: StoredObjectMeta) {
    const file = fileOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${tmpFile}.meta`, JSON.stringify(meta));
    await rename(tmpFile, file);
    await rename(`${tmpFile}.meta`, metaOf(file));
  }

  const store: ObjectStore = {
    driver: 'local',
    publicBaseUrl: base,
    async put(key, body, meta) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomUUID()}.tmp`;
      await writeFile(tmp, body);
      await commit(key, tmp, {
        contentType: meta.contentType,
        cacheControl: meta.cacheControl ?? cacheControlFor(key),
        byteSize: body.byteLength,
        etag: `"${sha256(body)}"`,
      });
    },
    head,
    async get(key) {
      const meta = await head(key);
      if (!meta) return null;
      const file = fileOf(key);
      const size = (await stat(file)).size;
      return { ...meta, byteSize: size, body: createReadStream(file) };
    },
    async delete(key) {
      const file = fileOf(key);
      await rm(metaOf(file), { force: true });
      await rm(file, { force: true });
    },
    publicUrl(key) {
      assertPublicKey(key);
      return `${base}/${key}`;
    },
    async createUpload(request) {
      assertUploadKey(request.key);
      assertUploadRequest(request);
      if (signingSecret === undefined || !options.uploadBaseUrl) {
        throw new Error('the local store needs signingSecret and uploadBaseUrl to create uploads');
      }
      // Whole seconds, as the signed field carries them.
      const expiresAt = new Date((Math.floor(Date.now() / 1000) + request.expiresInSeconds) * 1000);
      return {
        method: 'POST',
        url: options.uploadBaseUrl,
        fields: signLocalUpload(signingSecret, { ...request, expiresAt }),
        expiresAt: expiresAt.toISOString(),
      };
    },
  };
  internals.set(store, { root, signingSecret, fileOf, commit });
  return store;
}

export interface ReceivedUpload {
  key: string;
  contentType: string;
  byteSize: number;
  etag: string;
}

/**
 * The receiving end of a local direct upload, for an HTTP route (e.g. @fastify/multipart's
 * `request.file()`: pass `data.fields`, `data.file`, `data.mimetype`). Verifies the signed fields
 * (see verifyLocalUpload), streams the body to a temporary file and stops at `maxBytes + 1`,
 * then moves it into place at the granted key. Each form is taken once: a form received before
 * is refused (409 `upload_already_used`) and of two concurrent receipts exactly one stores its
 * file; a refused receipt (too large, wrong type…) leaves the form usable. Throws
 * UploadRejectedError with a stable code; a refused upload leaves nothing behind, and the rest
 * of a refused body is drained (discarded) so the client can read the answer.
 */
export async function receiveLocalUpload(
  store: ObjectStore,
  fields: UploadFormFields,
  fileStream: Readable | AsyncIterable<Uint8Array>,
  declaredContentType: string | undefined,
  options: { now?: Date | number; expectedKey?: string } = {},
): Promise<ReceivedUpload> {
  const local = internals.get(store);
  if (!local || local.signingSecret === undefined) {
    throw new Error('receiveLocalUpload needs a local store created with a signingSecret');
  }
  const drain = () => {
    if (fileStream instanceof Readable && !fileStream.destroyed) fileStream.resume();
  };
  let grant: ReturnType<typeof verifyLocalUpload>;
  try {
    grant = verifyLocalUpload(fields, local.signingSecret, options.now ?? Date.now(), {
      declaredContentType,
      ...(options.expectedKey === undefined ? {} : { expectedKey: options.expectedKey }),
    });
    // Cheap early answer to a replay; the claim before the commit below is what decides.
    if (await formWasUsed(local.root, grant)) throw alreadyUsed();
  } catch (error) {
    drain();
    throw error;
  }

  const incoming = path.join(local.root, INCOMING_DIR);
  await mkdir(incoming, { recursive: true });
  const tmpFile = path.join(incoming, `${randomUUID()}.part`);
  const hash = createHash('sha256');
  let byteSize = 0;
  let committed = false;
  const handle = await open(tmpFile, 'wx', 0o600);
  try {
    try {
      const chunks =
        fileStream instanceof Readable ? fileStream.iterator({ destroyOnReturn: false }) : fileStream;
      for await (const chunk of chunks as AsyncIterable<Uint8Array | string>) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        byteSize += bytes.byteLength;
        if (byteSize > grant.maxBytes) {
          drain();
          throw new UploadRejectedError('too_large', `the file is larger than ${grant.maxBytes} bytes`);
        }
        hash.update(bytes);
        await handle.write(bytes);
      }
    } finally {
      await handle.close();
    }
    // A multipart parser's own size limit ends the stream early and flags it (busboy: `truncated`).
    if ((fileStream as { truncated?: unknown }).truncated === true) {
      throw new UploadRejectedError('too_large', `the file is larger than ${grant.maxBytes} bytes`);
    }
    if (byteSize === 0) throw new UploadRejectedError('too_small', 'the file is empty');
    const etag = `"${hash.digest('hex')}"`;
    if (!(await claimForm(local.root, grant))) throw alreadyUsed();
    try {
      await local.commit(grant.key, tmpFile, {
        contentType: grant.contentType,
        cacheControl: cacheControlFor(grant.key),
        byteSize,
        etag,
      });
    } catch (error) {
      // Nothing was stored, so the form may be used again.
      await rm(usedFormMarker(local.root, grant), { force: true });
      throw error;
    }
    committed = true;
    await pruneUsedForms(
      local.root,
      options.now === undefined ? Date.now() : new Date(options.now).getTime(),
    );
    return { key: grant.key, contentType: grant.contentType, byteSize, etag };
  } finally {
    if (!committed) {
      await rm(tmpFile, { force: true });
      await rm(`${tmpFile}.meta`, { force: true });
    }
  }
}
