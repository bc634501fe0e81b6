import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { assertPublicKey, assertUploadKey, assertValidKey, cacheControlFor } from './keys.ts';
import { assertUploadRequest, type ObjectStore, type StoredObjectMeta } from './store.ts';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible servers (MinIO, LocalStack, s3rver); unset on AWS. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle?: boolean;
  /** Defaults to the SDK's provider chain (ECS task role, env, profile). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where browsers fetch objects: CLOUDFRONT_URL in production. */
  publicBaseUrl: string;
  /** Extra S3 client settings (retries, request handler…); the options above win. */
  clientConfig?: S3ClientConfig;
}

export interface S3ObjectStore extends ObjectStore {
  readonly driver: 's3';
  readonly bucket: string;
  readonly client: S3Client;
  /** Closes the client's sockets. */
  destroy(): void;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'NotFound' || name === 'NoSuchKey';
}

/** Production storage: S3 (or an S3-compatible server), served to browsers through CloudFront. */
export function createS3Store(options: S3StoreOptions): S3ObjectStore {
  const { bucket } = options;
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  const client = new S3Client({
    ...options.clientConfig,
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });

  async function head(key: string): Promise<StoredObjectMeta | null> {
    assertValidKey(key);
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        contentType: out.ContentType ?? 'application/octet-stream',
        cacheControl: out.CacheControl ?? cacheControlFor(key),
        byteSize: out.ContentLength ?? 0,
        etag: out.ETag ?? '',
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    driver: 's3',
    publicBaseUrl: base,
    bucket,
    client,
    destroy: () => client.destroy(),
    async put(key, body, meta) {
      assertValidKey(key);
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.byteLength,
          ContentType: meta.contentType,
          CacheControl: meta.cacheControl ?? cacheControlFor(key),
        }),
      );
    },
    head,
    async get(key) {
      assertValidKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const payload = out.Body;
        if (!payload) throw new Error(`S3 returned no body for ${key}`);
        const body =
          payload instanceof Readable
            ? payload
            : Readable.fromWeb(
                (payload as { transformToWebStream(): ReadableStream }).transformToWebStream() as never,
              );
        return {
          contentType: out.ContentType ?? 'application/octet-stream',
          cacheControl: out.CacheControl ?? cacheControlFor(key),
          byteSize: out.ContentLength ?? 0,
          etag: out.ETag ?? '',
          body,
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    publicUrl(key) {
      assertPublicKey(key);
      return `${base}/${key}`;
    },
    async createUpload(request) {
      assertUploadKey(request.key);
      assertUploadRequest(request);
      const post = await createPresignedPost(client, {
        Bucket: bucket,
        Key: request.key,
        Expires: request.expiresInSeconds,
        // Every field below becomes an exact-match condition; the key condition is added too.
        Fields: { 'Content-Type': request.contentType },
        Conditions: [
          ['content-length-range', 1, request.maxBytes],
          ['eq', '$Content-Type', request.contentType],
        ],
      });
      // The policy's own expiration (the SDK's clock, corrected for skew) is the one S3 enforces.
      const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8')) as {
        expiration: string;
      };
      return {
        method: 'POST',
        url: post.url,
        fields: post.fields,
        expiresAt: new Date(policy.expiration).toISOString(),
      };
    },
  };
}
