import type { Config } from '@e3d/config';
import { LOCAL_UPLOAD_PATH, type ObjectStore, receiveLocalUpload, UploadRejectedError } from '@e3d/storage';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import { uploadLimits } from './grants.ts';

/**
 * The embedded default's stand-in for S3's presigned POST: the form's signed fields are the
 * authorisation (key, content type, size limit, expiry), checked before a byte is kept. A form
 * stores one file: a second POST of it is 409 `upload_already_used` (receiveLocalUpload).
 */
export async function localUploadRoutes(
  app: FastifyInstance,
  options: { store: ObjectStore; config: Pick<Config, 'IMAGE_MAX_BYTES' | 'MODEL_MAX_BYTES'> },
) {
  // Each grant signs its own size limit; this only bounds what the parser reads of any form.
  const maxBytes = Math.max(...Object.values(uploadLimits(options.config)));
  await app.register(multipart, { limits: { files: 1, fields: 10, fileSize: maxBytes + 1 } });
  app.post(LOCAL_UPLOAD_PATH, { schema: { hide: true } }, async (request, reply) => {
    const data = await request.file();
    if (!data) throw new AppError(400, 'file_missing', 'The form has no file: send the fields, then `file`.');
    try {
      const received = await receiveLocalUpload(options.store, data.fields, data.file, data.mimetype);
      return reply.status(201).send({ key: received.key, byteSize: received.byteSize });
    } catch (error) {
      if (error instanceof UploadRejectedError) throw new AppError(error.status, error.code, error.message);
      throw error;
    }
  });
}
