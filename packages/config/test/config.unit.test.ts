import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingNames } from '../src/index.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults with no settings at all', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.API_PORT).toBe(4000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.dataDir).toBe('/srv/app/.data');
    expect(config.assetBaseUrl).toBe('http://localhost:4000');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('serves assets from the CDN when CLOUDFRONT_URL is set, without a trailing slash', () => {
    expect(loadConfig({ CLOUDFRONT_URL: 'https://d111.cloudfront.net/' }).assetBaseUrl).toBe(
      'https://d111.cloudfront.net',
    );
  });

  it.each([
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['API_PORT', 'eighty'],
    ['API_PORT', '70000'],
    ['JWT_SECRET', 'too-short'],
    ['S3_BUCKET', 'Bad_Bucket'],
    ['CLOUDFRONT_URL', 'ftp://cdn'],
    ['AWS_REGION', 'Europe'],
    ['LOG_LEVEL', 'loud'],
    ['CACHE_ENABLED', 'maybe'],
  ])('refuses %s=%s and names the setting', (name, value) => {
    try {
      loadConfig({ [name]: value });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.setting)).toEqual([name]);
      expect((error as Error).message).toContain(`${name}:`);
    }
  });

  it('reports every invalid setting at once', () => {
    expect(() => loadConfig({ API_PORT: 'x', REDIS_URL: 'nope' })).toThrow(
      /API_PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*API_PORT/,
    );
  });

  it('.env.example documents every setting, one line each', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(new Set(documented)).toEqual(new Set(settingNames));
  });
});
