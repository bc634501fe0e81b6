import { startTestApi, type TestApi } from '@e3d/testing/api';
import { startS3rver, type TestS3Server } from '@e3d/testing/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * S3 without CLOUDFRONT_URL (docker compose, a bucket with no CDN yet): asset URLs are built on
 * PUBLIC_API_URL, so the API must serve /assets from the bucket. With a CDN it leaves them to it.
 */
describe('assets on S3', () => {
  let s3: TestS3Server;
  const apis: TestApi[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const api = await startTestApi('embedded', {
      seed: false,
      env: { ...s3.env, ...env },
    });
    apis.push(api);
    return api;
  };

  beforeAll(async () => {
    s3 = await startS3rver({ credentialsInEnv: true });
  });
  afterAll(async () => {
    for (const api of apis) await api.close();
    await s3?.close();
  });

  it('without a CDN the API serves the bucket at the URLs it hands out, with CDN headers', async () => {
    const api = await start();
    expect(api.runtime.store.driver).toBe('s3');
    const key = 'assets/img/ab/s3-served.png';
    await api.runtime.store.put(key, new Uint8Array([137, 80, 78, 71]), { contentType: 'image/png' });
    expect(api.config.assetBaseUrl).toBe(api.config.publicApiUrl);
    const response = await api.app.inject({ method: 'GET', url: `/${key}` });
    // Before: 404 from the router (only local storage was served), so every image and model broke.
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    expect([...response.rawPayload]).toEqual([137, 80, 78, 71]);
    const again = await api.app.inject({
      method: 'GET',
      url: `/${key}`,
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const missing = await api.app.inject({ method: 'GET', url: '/assets/img/ab/none.png' });
    expect({ status: missing.statusCode, code: missing.json().code }).toEqual({
      status: 404,
      code: 'asset_not_found',
    });
  });

  it('with CLOUDFRONT_URL the CDN serves the bucket and the API does not', async () => {
    const api = await start({ CLOUDFRONT_URL: 'https://d111111abcdef8.cloudfront.net' });
    expect(api.config.assetBaseUrl).toBe('https://d111111abcdef8.cloudfront.net');
    const response = await api.app.inject({ method: 'GET', url: '/assets/img/ab/s3-served.png' });
    expect(response.statusCode).toBe(404);
  });
});
