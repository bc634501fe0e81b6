import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { revalidateTag } from 'next/cache';

/**
 * The API's worker calls this after a catalog change (STOREFRONT_REVALIDATE_URL) with
 * `Authorization: Bearer <REVALIDATE_SECRET>` and `{ "tags": ["product:<handle>", "products"] }`.
 * Each tag expires at once: the next request renders fresh data instead of serving stale.
 */
export const dynamic = 'force-dynamic';

const MAX_TAGS = 200;
const MAX_BODY_BYTES = 64 * 1024;

/**
 * REVALIDATE_SECRET; without it, the secret the platform generated under DATA_DIR (the embedded
 * quick start shares one data folder between API and storefront). Neither → every call is refused.
 */
async function loadSecret(): Promise<string | null> {
  const fromEnv = process.env.REVALIDATE_SECRET;
  if (fromEnv) return fromEnv;
  const dataDir = process.env.DATA_DIR;
  if (!dataDir) return null;
  try {
    const raw = await readFile(path.join(dataDir, 'secrets', 'revalidate'));
    return raw.length >= 32 ? raw.toString('base64url') : null;
  } catch {
    return null;
  }
}

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function problem(status: number, code: string, detail: string): Response {
  return Response.json(
    { type: 'about:blank', title: code, status, code, detail },
    { status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
  );
}

export async function POST(request: Request): Promise<Response> {
  const secret = await loadSecret();
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!secret || !match?.[1] || !sameSecret(match[1], secret)) {
    return problem(401, 'unauthenticated', 'A valid bearer secret is required');
  }

  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) return problem(400, 'invalid_body', 'The body is too large');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, 'malformed_json', 'The body is not JSON');
  }
  const tags = (body as { tags?: unknown } | null)?.tags;
  if (
    !Array.isArray(tags) ||
    tags.length === 0 ||
    tags.length > MAX_TAGS ||
    !tags.every((t): t is string => typeof t === 'string' && t.length > 0 && t.length <= 256)
  ) {
    return problem(
      400,
      'invalid_body',
      '`tags` must be a non-empty array of strings (at most 256 characters each)',
    );
  }

  const unique = [...new Set(tags)];
  for (const tag of unique) revalidateTag(tag, { expire: 0 });
  return Response.json(
    { revalidated: unique, now: Date.now() },
    { headers: { 'cache-control': 'no-store' } },
  );
}
