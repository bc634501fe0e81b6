import type { AddressInfo } from 'node:net';
import { loadConfig } from '@e3d/config';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailerFromConfig, createSmtpMailer, MailSendError } from '../src/index.ts';

interface Received {
  envelopeFrom: string;
  envelopeTo: string[];
  user: string | undefined;
  raw: Buffer;
}

/** A real SMTP server in this process (smtp-server, by nodemailer's authors). */
describe('smtp mailer', () => {
  let server: SMTPServer;
  let port: number;
  const received: Received[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 's3cret')
          return callback(null, { user: 'mailer' });
        return callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('unknown@'))
          return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        if (address.address.startsWith('busy@'))
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        return callback();
      },
      onData(stream, session: SMTPServerSession, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            user: session.user as string | undefined,
            raw: Buffer.concat(chunks),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('delivers text + html over SMTP with the credentials in SMTP_URL', async () => {
    const mailer = createMailerFromConfig(
      loadConfig({
        MAIL_DRIVER: 'smtp',
        SMTP_URL: `smtp://mailer:s3cret@127.0.0.1:${port}`,
        MAIL_FROM: 'ecommerce-3d <shop@example.test>',
      }),
    );
    expect(mailer.driver).toBe('smtp');
    const message = {
      to: 'ana@example.test',
      subject: 'Your order ✓',
      text: 'Thanks for your order.',
      html: '<p>Thanks for your <b>order</b>.</p>',
      key: 'order-confirmation:1001',
    };
    const first = await mailer.send(message);
    const again = await mailer.send(message);
    await mailer.close();

    // The same key gives the same Message-ID, so a receiver can drop a repeat.
    expect(first.messageId).toMatch(/^<[0-9a-f]{32}@example\.test>$/);
    expect(again.messageId).toBe(first.messageId);
    expect(received).toHaveLength(2);
    const [mail] = received;
    expect(mail?.user).toBe('mailer');
    expect(mail?.envelopeFrom).toBe('shop@example.test');
    expect(mail?.envelopeTo).toEqual(['ana@example.test']);
    const parsed = await simpleParser(mail?.raw ?? Buffer.alloc(0));
    expect(parsed.from?.value).toEqual([{ name: 'ecommerce-3d', address: 'shop@example.test' }]);
    expect(parsed.subject).toBe('Your order ✓');
    expect(parsed.messageId).toBe(first.messageId);
    expect(parsed.text?.trim()).toBe('Thanks for your order.');
    expect(parsed.html).toContain('<b>order</b>');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });

  it('treats a 5xx answer as permanent and a 4xx answer as worth retrying', async () => {
    const mailer = createSmtpMailer({
      url: `smtp://mailer:s3cret@127.0.0.1:${port}`,
      from: 'shop@example.test',
    });
    const refused = await mailer
      .send({ to: 'unknown@example.test', subject: 'x', text: 'x', html: 'x' })
      .catch((e: unknown) => e);
    const deferred = await mailer
      .send({ to: 'busy@example.test', subject: 'x', text: 'x', html: 'x' })
      .catch((e: unknown) => e);
    await mailer.close();
    expect(refused).toBeInstanceOf(MailSendError);
    expect((refused as MailSendError).permanent).toBe(true);
    expect((deferred as MailSendError).permanent).toBe(false);
    expect(received).toHaveLength(0);
  });

  it('does not send with wrong credentials', async () => {
    const mailer = createSmtpMailer({
      url: `smtp://mailer:wrong@127.0.0.1:${port}`,
      from: 'shop@example.test',
    });
    await expect(
      mailer.send({ to: 'ana@example.test', subject: 'x', text: 'x', html: 'x' }),
    ).rejects.toBeInstanceOf(MailSendError);
    await mailer.close();
    expect(received).toHaveLength(0);
  });
});
