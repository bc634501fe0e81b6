import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { AssetError, errorMessage } from '../errors.ts';
import type { AssetLimits } from '../limits.ts';
import { normalizeUploadPath } from './uri.ts';

export const isZip = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 4 &&
  bytes[0] === 0x50 &&
  bytes[1] === 0x4b &&
  ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));

/** Entries that archivers add and no model references. */
const JUNK = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/;

/** Bytes fed to the inflater at a time: bounds the memory one step can expand to (≤ ~64 MiB). */
const SLICE = 64 * 1024;

const corrupt = (reason: string, cause?: unknown) =>
  new AssetError('corrupt_zip', { reason }, cause === undefined ? undefined : { cause });

/**
 * Reads the central directory only (nothing is inflated): refuses archives with too many
 * entries or whose entries claim to expand past the limit, before any work is spent on them.
 */
function checkDirectory(bytes: Uint8Array, limits: AssetLimits): void {
  let entries = 0;
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter(file) {
        entries++;
        declared += file.originalSize;
        if (entries > limits.maxZipEntries) {
          throw new AssetError('too_many_zip_entries', { entries, limit: limits.maxZipEntries });
        }
        if (declared > limits.maxZipUncompressedBytes) {
          throw new AssetError('too_large_bytes', {
            subject: 'zip_uncompressed',
            bytes: declared,
            limit: limits.maxZipUncompressedBytes,
          });
        }
        return false;
      },
    });
  } catch (error) {
    if (error instanceof AssetError) throw error;
    throw corrupt(`unreadable ZIP directory (${errorMessage(error)})`, error);
  }
}

/**
 * Expands a ZIP upload in memory into normalized path → bytes. Guards against zip bombs twice:
 * the directory's declared sizes and entry count are checked first, then the bytes actually
 * inflated are counted as they stream, so an archive that lies about its sizes is stopped as
 * soon as it passes the limit. Folders, `__MACOSX/` and `.DS_Store` entries are skipped, as are
 * names that are absolute or climb out with `..` (nothing can reference them).
 */
export function unzipUpload(bytes: Uint8Array, limits: AssetLimits): Map<string, Uint8Array> {
  checkDirectory(bytes, limits);

  const files = new Map<string, Uint8Array>();
  const pending = new Set<string>();
  let total = 0;
  let failure: AssetError | undefined;
  const unzipper = new Unzip((file) => {
    const path = file.name.endsWith('/') || JUNK.test(file.name) ? undefined : normalizeUploadPath(file.name);
    if (!path || failure) return;
    const chunks: Uint8Array[] = [];
    pending.add(path);
    file.ondata = (error, data, final) => {
      if (failure) return;
      if (error) {
        failure = corrupt(`entry ${path} cannot be inflated (${error.message})`, error);
        return;
      }
      total += data.byteLength;
      if (total > limits.maxZipUncompressedBytes) {
        failure = new AssetError('too_large_bytes', {
          subject: 'zip_uncompressed',
          bytes: total,
          limit: limits.maxZipUncompressedBytes,
        });
        file.terminate();
        return;
      }
      chunks.push(data);
      if (final) {
        pending.delete(path);
        files.set(path, chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks));
      }
    };
    file.start();
  });
  unzipper.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.byteLength && !failure; at += SLICE) {
      unzipper.push(bytes.subarray(at, at + SLICE), at + SLICE >= bytes.byteLength);
    }
  } catch (error) {
    throw failure ?? corrupt(errorMessage(error), error);
  }
  if (failure) throw failure;
  if (pending.size > 0) throw corrupt(`entry ${[...pending][0]} is cut off`);
  return files;
}
