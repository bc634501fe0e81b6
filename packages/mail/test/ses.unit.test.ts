import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSesMailer, type Mailer, MailSendError } from '../src/index.ts';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the SES v2 HTTP API on localhost: records requests, answers as SES does. */
describe('ses mailer', () => {
  let server: Server;
  let endpoint: string;
  const requests: Recorded[] = [];
  let answer: { status: number; errorType?: string; body: unknown } = { status: 200, body: {} };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-amzn-requestid', `req-${requests.length}`);
        if (answer.errorType) res.setHeader('x-amzn-errortype', answer.errorType);
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  const mailer = (maxAttempts = 1): Mailer =>
    createSesMailer({
      from: 'ecommerce-3d <shop@example.test>',
      region: 'eu-west-1',
      configurationSetName: 'e3d-transactional',
      clientConfig: {
        endpoint,
        maxAttempts,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
      },
    });

  it('sends Simple content (text + html) with SendEmail v2, signed for the region', async () => {
    answer = { status: 200, body: { MessageId: '0102018f-test-message-id' } };
    const ses = mailer();
    const result = await ses.send({
      to: 'ana@example.test',
      subject: 'Reset your password',
      text: 'Open https://shop.example.test/reset?token=abc',
      html: '<a href="https://shop.example.test/reset?token=abc">Reset</a>',
      key: 'password-reset:1',
    });
    await ses.close();
    expect(result).toEqual({ messageId: '0102018f-test-message-id' });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v2/email/outbound-emails');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/ses\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(request?.body ?? '')).toEqual({
      FromEmailAddress: 'ecommerce-3d <shop@example.test>',
      Destination: { ToAddresses: ['ana@example.test'] },
      Content: {
        Simple: {
          Subject: { Data: 'Reset your password', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'Open https://shop.example.test/reset?token=abc', Charset: 'UTF-8' },
            Html: { Data: '<a href="https://shop.example.test/reset?token=abc">Reset</a>', Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: 'e3d-transactional',
    });
  });

  it('reports a rejected message as permanent (dead-letter, do not retry)', async () => {
    answer = {
      status: 400,
      errorType: 'MessageRejected',
      body: { message: 'Email address is not verified.' },
    };
    const ses = mailer();
    const error = await ses
      .send({ to: 'nobody@example.test', subject: 'x', text: 'x', html: 'x' })
      .catch((e: unknown) => e);
    await ses.close();
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).permanent).toBe(true);
    expect((error as Error).message).toMatch(/MessageRejected: Email address is not verified/);
  });

  it('reports throttling and server errors as retryable, after the SDK retried', async () => {
    answer = { status: 429, errorType: 'TooManyRequestsException', body: { message: 'Slow down' } };
    const ses = mailer(2);
    const error = await ses
      .send({ to: 'ana@example.test', subject: 'x', text: 'x', html: 'x' })
      .catch((e: unknown) => e);
    await ses.close();
    expect(error).toBeInstanceOf(MailSendError);
    expect((error as MailSendError).permanent).toBe(false);
    expect(requests).toHaveLength(2);
  });

  it('never calls SES with a malformed message', async () => {
    const ses = mailer();
    await expect(
      ses.send({ to: 'a@example.test\r\nBcc: b@example.test', subject: 'x', text: '', html: '' }),
    ).rejects.toThrow(/to must be one email address/);
    await ses.close();
    expect(requests).toHaveLength(0);
  });
});
