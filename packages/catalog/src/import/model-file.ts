import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';

/** A model read from disk, ready to hand to the asset pipeline (which never reads the disk). */
export interface ModelFile {
  /** The file name the pipeline checks the content against: `.glb`, `.gltf` or `.zip`. */
  filename: string;
  bytes: Uint8Array;
  /** True when a `.gltf` and the files it references were packed into one ZIP. */
  packed: boolean;
}

/** Model files the importer and `e3d models` accept. */
export const MODEL_EXTENSIONS = ['.glb', '.gltf', '.zip'] as const;

export const isModelFile = (file: string) =>
  (MODEL_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());

interface GltfRefs {
  buffers?: { uri?: unknown }[];
  images?: { uri?: unknown }[];
}

/**
 * The files a `.gltf` references beside it (its `.bin` and textures), as paths relative to its
 * folder. `data:` URIs need no file. A URI that is remote, absolute or climbs out of the
 * folder is a problem here: the upload could never contain it.
 */
export async function gltfSiblingFiles(
  gltfPath: string,
): Promise<{ files: string[]; problems: string[]; json: Uint8Array }> {
  const json = new Uint8Array(await readFile(gltfPath));
  let doc: GltfRefs;
  try {
    doc = JSON.parse(new TextDecoder().decode(json)) as GltfRefs;
  } catch {
    return { files: [], problems: ['is not valid JSON'], json };
  }
  const files = new Set<string>();
  const problems: string[] = [];
  const uris = [...(doc.buffers ?? []), ...(doc.images ?? [])]
    .map((entry) => entry?.uri)
    .filter((uri): uri is string => typeof uri === 'string' && !uri.startsWith('data:'));
  for (const uri of uris) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(uri).replaceAll('\\', '/');
    } catch {
      problems.push(`references a malformed URI ${JSON.stringify(uri)}`);
      continue;
    }
    const relative = path.posix.normalize(decoded);
    if (/^[a-z][a-z0-9+.-]*:/i.test(decoded) || decoded.startsWith('/') || relative.startsWith('..')) {
      problems.push(`references ${JSON.stringify(uri)}, which is not a file beside it`);
      continue;
    }
    files.add(relative);
  }
  return { files: [...files], problems, json };
}

/**
 * Reads a model for the asset pipeline. A GLB or ZIP is passed on as it is; a `.gltf` that
 * references files beside it is packed with them into a ZIP (the form the pipeline accepts
 * for multi-file models), and one with only `data:` URIs stays a `.gltf`.
 */
export async function readModelFile(file: string): Promise<ModelFile> {
  const filename = path.basename(file);
  if (path.extname(file).toLowerCase() !== '.gltf') {
    return { filename, bytes: new Uint8Array(await readFile(file)), packed: false };
  }
  const { files, json } = await gltfSiblingFiles(file);
  if (files.length === 0) return { filename, bytes: json, packed: false };
  const entries: Record<string, Uint8Array> = { [filename]: json };
  for (const relative of files) {
    entries[relative] = new Uint8Array(await readFile(path.join(path.dirname(file), relative)));
  }
  return {
    filename: `${filename.slice(0, -'.gltf'.length)}.zip`,
    bytes: zipSync(entries, { level: 6 }),
    packed: true,
  };
}
