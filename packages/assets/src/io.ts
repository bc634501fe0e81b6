import { type Document, GLB_BUFFER, type JSONDocument, Logger, NodeIO } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import { AssetError, errorMessage } from './errors.ts';
import { parseGlb } from './upload/glb.ts';
import type { ModelUpload } from './upload/read-upload.ts';

let readerPromise: Promise<NodeIO> | undefined;
let writerPromise: Promise<NodeIO> | undefined;

function once(start: () => Promise<NodeIO>, reset: () => void): Promise<NodeIO> {
  return start().catch((error: unknown) => {
    reset();
    throw error;
  });
}

/**
 * One glTF-Transform I/O per process: the Draco and Meshopt codecs are WebAssembly and slow to
 * start. It is never used with paths — only `readJSON`/`writeBinary` on bytes in memory.
 */
export function modelIO(): Promise<NodeIO> {
  readerPromise ??= once(
    async () => {
      const [dracoDecoder] = await Promise.all([draco3d.createDecoderModule(), MeshoptDecoder.ready]);
      return new NodeIO()
        .setLogger(new Logger(Logger.Verbosity.SILENT)) // a library: errors are thrown, not printed
        .registerExtensions(ALL_EXTENSIONS)
        .registerDependencies({ 'draco3d.decoder': dracoDecoder, 'meshopt.decoder': MeshoptDecoder });
    },
    () => {
      readerPromise = undefined;
    },
  );
  return readerPromise;
}

/** The same I/O with the Draco and Meshopt encoders registered (loaded only when optimizing). */
export function modelWriterIO(): Promise<NodeIO> {
  writerPromise ??= once(
    async () => {
      const [io, dracoEncoder] = await Promise.all([
        modelIO(),
        draco3d.createEncoderModule(),
        MeshoptEncoder.ready,
      ]);
      return io.registerDependencies({ 'draco3d.encoder': dracoEncoder, 'meshopt.encoder': MeshoptEncoder });
    },
    () => {
      writerPromise = undefined;
    },
  );
  return writerPromise;
}

/** Turns an upload into a glTF-Transform document, with resources served only from the upload. */
export async function readDocument(upload: ModelUpload): Promise<Document> {
  const io = await modelIO();
  let jsonDoc: JSONDocument;
  // glTF-Transform types resources as ArrayBuffer-backed; it only reads them.
  const resources = { ...upload.resources } as JSONDocument['resources'];
  if (upload.format === 'glb') {
    const { json, bin } = parseGlb(upload.main, upload.path);
    jsonDoc = { json: json as JSONDocument['json'], resources };
    if (bin) resources[GLB_BUFFER] = bin as Uint8Array<ArrayBuffer>;
  } else {
    const json = JSON.parse(new TextDecoder().decode(upload.main)) as JSONDocument['json'];
    jsonDoc = { json, resources };
  }
  try {
    return await io.readJSON(jsonDoc);
  } catch (error) {
    const reason = errorMessage(error);
    throw upload.format === 'glb'
      ? new AssetError('corrupt_binary', { reason }, { cause: error })
      : new AssetError('not_gltf', { reason, filename: upload.path }, { cause: error });
  }
}
