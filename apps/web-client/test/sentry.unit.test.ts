import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { envelopeUrl, initSentry, type SentryOptions, sentrySettings, tunnelEnvelope } from '@e3d/sdk/sentry';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('Sentry settings', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is off without SENTRY_DSN: nothing is initialised', async () => {
    const init = vi.fn();
    expect(sentrySettings({})).toBeNull();
    expect(sentrySettings({ SENTRY_DSN: '  ', SENTRY_TRACES_SAMPLE_RATE: '0.5' })).toBeNull();
    expect(await initSentry(sentrySettings({}), 'server', init)).toBe(false);
    expect(await initSentry(sentrySettings({}), 'browser', init)).toBe(false);
    expect(init).not.toHaveBeenCalled();
  });

  it('passes dsn, environment and tracesSampleRate from the settings', async () => {
    const init = vi.fn<(options: SentryOptions) => void>();
    const settings = sentrySettings({
      SENTRY_DSN: 'https://abc123@o1.ingest.sentry.io/4505',
      SENTRY_ENVIRONMENT: 'staging',
      SENTRY_TRACES_SAMPLE_RATE: '0.25',
      NODE_ENV: 'production',
    });
    expect(await initSentry(settings, 'server', init)).toBe(true);
    expect(init).toHaveBeenCalledWith({
      dsn: 'https://abc123@o1.ingest.sentry.io/4505',
      environment: 'staging',
      tracesSampleRate: 0.25,
      sendDefaultPii: false,
    });
    expect(await initSentry(settings, 'browser', init)).toBe(true);
    expect(init).toHaveBeenLastCalledWith(
      expect.objectContaining({ tunnel: '/monitoring', tracesSampleRate: 0.25 }),
    );
    // Defaults: environment from NODE_ENV, errors only.
    expect(sentrySettings({ SENTRY_DSN: 'https://k@sentry.example.com/7', NODE_ENV: 'production' })).toEqual({
      dsn: 'https://k@sentry.example.com/7',
      environment: 'production',
      tracesSampleRate: 0,
    });
  });

  it('rejects a malformed DSN or sample rate, naming the setting', () => {
    expect(() => sentrySettings({ SENTRY_DSN: 'not a url' })).toThrow(/SENTRY_DSN/);
    expect(() => sentrySettings({ SENTRY_DSN: 'https://sentry.example.com/1' })).toThrow(/SENTRY_DSN/);
    expect(() =>
      sentrySettings({ SENTRY_DSN: 'https://k@sentry.example.com/1', SENTRY_TRACES_SAMPLE_RATE: '2' }),
    ).toThrow(/SENTRY_TRACES_SAMPLE_RATE/);
  });

  it('register() initialises the real SDK only with SENTRY_DSN', async () => {
    // Specifiers in variables: their types would bring Next's globals into the root typecheck.
    const sdk = '@sentry/nextjs';
    const instrumentation = '../instrumentation.ts';
    const Sentry = (await import(sdk)) as {
      getClient(): { getOptions(): Record<string, unknown> } | undefined;
      close(timeout: number): Promise<boolean>;
    };
    vi.stubEnv('SENTRY_DSN', '');
    const { register } = (await import(instrumentation)) as { register(): Promise<void> };
    await register();
    expect(Sentry.getClient()).toBeUndefined();
    vi.stubEnv('SENTRY_DSN', 'https://abc@127.0.0.1:9/42');
    vi.stubEnv('SENTRY_ENVIRONMENT', 'ci');
    vi.stubEnv('SENTRY_TRACES_SAMPLE_RATE', '0.1');
    await register();
    const options = Sentry.getClient()?.getOptions();
    expect(options?.dsn).toBe('https://abc@127.0.0.1:9/42');
    expect(options?.environment).toBe('ci');
    expect(options?.tracesSampleRate).toBe(0.1);
    await Sentry.close(0);
  });
});

describe('Sentry tunnel', () => {
  it('forwards envelopes for the configured DSN only, and answers 404 when Sentry is off', async () => {
    const received: { path: string; body: string }[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200).end('{}');
      });
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const port = (upstream.address() as AddressInfo).port;
    const dsn = `http://publickey@127.0.0.1:${port}/42`;
    const settings = sentrySettings({ SENTRY_DSN: dsn });
    expect(envelopeUrl(dsn)).toBe(`http://127.0.0.1:${port}/api/42/envelope/`);
    const envelope = (forDsn: string) =>
      new Request('http://shop.test/monitoring', {
        method: 'POST',
        body: `${JSON.stringify({ dsn: forDsn, sent_at: new Date().toISOString() })}\n{"type":"event"}\n{"message":"boom"}`,
      });
    try {
      expect((await tunnelEnvelope(envelope(dsn), settings)).status).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0]?.path).toBe('/api/42/envelope/');
      expect(received[0]?.body).toContain('"message":"boom"');

      expect((await tunnelEnvelope(envelope('https://other@evil.example.com/1'), settings)).status).toBe(400);
      expect((await tunnelEnvelope(envelope(dsn), null)).status).toBe(404);
      expect(received).toHaveLength(1);
    } finally {
      upstream.close();
    }
  });
});
