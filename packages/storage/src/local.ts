import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assertValidKey, cacheControlFor, sha256 } from './keys.ts';
import type { ObjectStore, StoredObjectMeta } from './store.ts';

/**
 * The embedded default: objects in a folder, with their metadata beside them as S3 keeps
 * it. Writes go to a temporary file renamed into place, so a reader never sees half a file.
 */
export function createLocalStore(options: { root: string; publicBaseUrl: string }): ObjectStore {
  const { root } = options;
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

  return {
    driver: 'local',
    async put(key, body, meta) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const stored: StoredObjectMeta = {
        contentType: meta.contentType,
        cacheControl: meta.cacheControl ?? cacheControlFor(key),
        byteSize: body.byteLength,
        etag: `"${sha256(body)}"`,
      };
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body);
      await writeFile(`${tmp}.meta`, JSON.stringify(stored));
      await rename(tmp, file);
      await rename(`${tmp}.meta`, metaOf(file));
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
    publicUrl: (key) => `${base}/${key}`,
  };
}
