// CloudFront invalidation for the assets CDN.
//
// Invoked two ways:
//   - by S3 event notifications on the assets bucket (objects under assets/ created or removed):
//     each key that is not content-hashed is invalidated, since its bytes may have changed;
//     content-hashed keys (assets/img|models/<2>/<sha256>…) never change and are skipped;
//   - directly (aws lambda invoke, the worker, an operator) with { "paths": ["/assets/…", …] }.
//
// Paths are deduplicated and sent in batches of at most 1,000 (CloudFront's limit per call).
// The AWS SDK v3 ships with the Node.js Lambda runtime, so this file has no dependencies.
import { randomUUID } from 'node:crypto';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';

const DISTRIBUTION_ID = process.env.DISTRIBUTION_ID;
const MAX_PATHS_PER_BATCH = 1000;
const CONTENT_HASHED = /^assets\/(img|models)\/[0-9a-f]{2}\/[0-9a-f]{64}[a-z0-9._-]*$/;

const client = new CloudFrontClient({ region: 'us-east-1' });

/** S3 event keys are URL-encoded with '+' for spaces. */
function keyFromRecord(record) {
  return decodeURIComponent(String(record?.s3?.object?.key ?? '').replace(/\+/g, ' '));
}

export function pathsFromEvent(event) {
  const paths = new Set();
  if (Array.isArray(event?.paths)) {
    for (const raw of event.paths) {
      const path = String(raw).trim();
      if (path) paths.add(path.startsWith('/') ? path : `/${path}`);
    }
  }
  for (const record of event?.Records ?? []) {
    const key = keyFromRecord(record);
    if (!key.startsWith('assets/') || CONTENT_HASHED.test(key)) continue;
    paths.add(`/${encodeURI(key)}`);
  }
  return [...paths];
}

export async function handler(event) {
  if (!DISTRIBUTION_ID) throw new Error('DISTRIBUTION_ID is not set');
  const paths = pathsFromEvent(event);
  const ids = [];
  for (let start = 0; start < paths.length; start += MAX_PATHS_PER_BATCH) {
    const batch = paths.slice(start, start + MAX_PATHS_PER_BATCH);
    const out = await client.send(
      new CreateInvalidationCommand({
        DistributionId: DISTRIBUTION_ID,
        InvalidationBatch: {
          CallerReference: `e3d-lambda-${Date.now()}-${randomUUID()}`,
          Paths: { Quantity: batch.length, Items: batch },
        },
      }),
    );
    ids.push(out.Invalidation?.Id);
  }
  console.log(JSON.stringify({ invalidated: paths.length, invalidations: ids }));
  return { invalidated: paths.length, invalidations: ids };
}
