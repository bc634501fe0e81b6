import type { ExternalReferenceReason } from '../errors.ts';

/** Where a URI written in a glTF file points, judged without touching the file system or network. */
export type UriTarget =
  | { kind: 'data' }
  | { kind: 'path'; path: string }
  | { kind: 'rejected'; reason: ExternalReferenceReason };

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const REMOTE = /^(?:https?|ftps?|wss?):/i;

function judgeShape(text: string): ExternalReferenceReason | undefined {
  if (text.startsWith('//') || text.startsWith('\\\\') || REMOTE.test(text)) return 'remote';
  if (/^file:/i.test(text)) return 'file_uri';
  if (SCHEME.test(text) || text.startsWith('/') || text.startsWith('\\')) return 'absolute';
  return undefined;
}

/**
 * Resolves `segments` (already split) against a folder, refusing to climb above the root.
 * Returns undefined when `..` would leave the root.
 */
function joinInside(base: string[], relative: string[]): string[] | undefined {
  const out = [...base];
  for (const segment of relative) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(segment);
  }
  return out;
}

/** Splits a path into its folder segments, treating `\` like `/`. */
export const splitPath = (path: string): string[] => path.replace(/\\/g, '/').split('/');

/**
 * Normalizes a file name inside an upload (`./a\b.png` → `a/b.png`). Returns undefined for
 * names that are absolute or climb out with `..`: such entries can never be referenced.
 */
export function normalizeUploadPath(name: string): string | undefined {
  if (name.includes('\0') || judgeShape(name)) return undefined;
  const joined = joinInside([], splitPath(name));
  return joined && joined.length > 0 ? joined.join('/') : undefined;
}

/**
 * Judges a glTF `uri` (buffer or image) relative to the folder of the model file inside the
 * upload. `data:` URIs are embedded and fine; everything else must be a relative path that,
 * after percent-decoding and normalization, stays inside the upload.
 */
export function resolveUri(uri: string, baseFolder: string): UriTarget {
  if (/^data:/i.test(uri)) return { kind: 'data' };
  const raw = judgeShape(uri.trim());
  if (raw) return { kind: 'rejected', reason: raw };
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    return { kind: 'rejected', reason: 'malformed' };
  }
  if (decoded.includes('\0')) return { kind: 'rejected', reason: 'malformed' };
  const shape = judgeShape(decoded.trim());
  if (shape) return { kind: 'rejected', reason: shape };
  const base = baseFolder === '' ? [] : splitPath(baseFolder);
  const joined = joinInside(base, splitPath(decoded));
  if (!joined) return { kind: 'rejected', reason: 'escapes_upload' };
  if (joined.length === 0) return { kind: 'rejected', reason: 'missing' };
  return { kind: 'path', path: joined.join('/') };
}
