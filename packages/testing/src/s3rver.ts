import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

// Node 20 is this project's floor; the SDK's notice that releases after January 2027 need
// Node 22 is for operators, not for every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's built-in account. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  directory: string;
  /** The settings that point the API (and the apps) at this bucket. */
  env: { S3_BUCKET: string; S3_ENDPOINT: string; AWS_REGION: string };
  /** Stops the server, removes its files and puts back AWS credentials it set. */
  close(): Promise<void>;
}

export interface S3rverOptions {
  bucket?: string;
  /**
   * Put s3rver's account in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY for the SDK's default
   * credential chain to find, as the task role provides it on ECS (close() restores them).
   */
  credentialsInEnv?: boolean;
}

const AWS_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** A real S3-compatible HTTP server (s3rver) on a free loopback port, storing under a temp dir. */
export async function startS3rver(options: S3rverOptions = {}): Promise<TestS3Server> {
  const bucket = options.bucket ?? 'e3d-test';
  const directory = await mkdtemp(path.join(tmpdir(), 'e3d-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const region = 'us-east-1';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const saved = Object.fromEntries(AWS_KEYS.map((key) => [key, process.env[key]]));
  if (options.credentialsInEnv) {
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  }
  return {
    endpoint,
    bucket,
    region,
    credentials,
    directory,
    env: { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, AWS_REGION: region },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
      if (!options.credentialsInEnv) return;
      for (const key of AWS_KEYS) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    },
  };
}
