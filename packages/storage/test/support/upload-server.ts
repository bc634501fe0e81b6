import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import type { ObjectStore } from '../../src/index.ts';
import { LOCAL_UPLOAD_PATH, receiveLocalUpload, UploadRejectedError } from '../../src/index.ts';

/**
 * The receiving route as the API is expected to write it (see README): @fastify/multipart in
 * stream mode, fields before the file, receiveLocalUpload, UploadRejectedError -> its status.
 */
export async function startUploadServer(getStore: () => ObjectStore, maxUploadBytes: number) {
  const app = Fastify();
  await app.register(multipart, { limits: { files: 1, fields: 10, fileSize: maxUploadBytes + 1 } });
  app.post(LOCAL_UPLOAD_PATH, async (request, reply) => {
    const data = await request.file();
    if (!data) return reply.code(400).send({ code: 'file_missing' });
    try {
      const received = await receiveLocalUpload(getStore(), data.fields, data.file, data.mimetype);
      return reply.code(201).send(received);
    } catch (error) {
      if (error instanceof UploadRejectedError) return reply.code(error.status).send({ code: error.code });
      throw error;
    }
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: address, uploadUrl: `${address}${LOCAL_UPLOAD_PATH}` };
}

/** What a browser does with a DirectUpload: every field, then the file last. */
export function postUpload(
  upload: { method: string; url: string; fields: Record<string, string> },
  bytes: Uint8Array,
  fileType: string,
  fields: Record<string, string> = upload.fields,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: fileType }), 'model.glb');
  return fetch(upload.url, { method: upload.method, body: form });
}
