import { createHmac } from 'node:crypto';

/**
 * S3's checks of a browser POST upload, for servers that skip them: s3rver 3.7 accepts the
 * `Policy` and `X-Amz-Signature` fields and ignores them (see lib/controllers/object.js,
 * "unimplemented"). This follows AWS's documented rules (sigv4-HTTPPOSTConstructPolicy):
 * SigV4 signature of the base64 policy, expiration, and every condition, with every form
 * field other than file/Policy/X-Amz-Signature/x-ignore-* covered by a condition.
 * Returns null when S3 would accept the upload, else the S3 error it would give.
 */
export function evaluatePostPolicy(input: {
  fields: Record<string, string>;
  fileSize: number;
  secretAccessKey: string;
  now?: Date;
}): string | null {
  const { fields, fileSize } = input;
  const now = input.now ?? new Date();
  const policyBase64 = fields.Policy;
  if (!policyBase64) return 'AccessDenied: missing Policy';

  const [, date, region, service] = (fields['X-Amz-Credential'] ?? '').split('/');
  if (!date || !region || !service) return 'AccessDenied: bad X-Amz-Credential';
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), region), service),
    'aws4_request',
  );
  if (hmac(signingKey, policyBase64).toString('hex') !== fields['X-Amz-Signature']) {
    return 'SignatureDoesNotMatch';
  }

  const policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: unknown[];
  };
  if (new Date(policy.expiration).getTime() <= now.getTime()) return 'AccessDenied: Policy expired';

  const lower = new Map(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v]));
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition as [string, unknown, unknown];
      if (op === 'content-length-range') {
        if (fileSize < Number(a)) return 'EntityTooSmall';
        if (fileSize > Number(b)) return 'EntityTooLarge';
        continue;
      }
      const name = String(a).replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const value = lower.get(name) ?? '';
      if ((op === 'eq' && value !== b) || (op === 'starts-with' && !value.startsWith(String(b)))) {
        return `AccessDenied: condition failed: ${JSON.stringify(condition)}`;
      }
    } else {
      for (const [name, expected] of Object.entries(condition as Record<string, string>)) {
        covered.add(name.toLowerCase());
        if (lower.get(name.toLowerCase()) !== expected) {
          return `AccessDenied: condition failed: {"${name}": ${JSON.stringify(expected)}}`;
        }
      }
    }
  }
  const exempt = new Set(['file', 'policy', 'x-amz-signature']);
  for (const name of lower.keys()) {
    if (!exempt.has(name) && !name.startsWith('x-ignore-') && !covered.has(name)) {
      return `AccessDenied: Extra input fields: ${name}`;
    }
  }
  return null;
}
