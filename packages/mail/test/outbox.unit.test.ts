import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@e3d/config';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMailerFromConfig,
  createOutboxMailer,
  MailSendError,
  outboxDir,
  readOutbox,
} from '../src/index.ts';

const FROM = 'ecommerce-3d <shop@example.test>';

describe('outbox mailer', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'e3d-mail-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const emlFiles = () => readdirSync(outboxDir(dataDir)).filter((n) => n.endsWith('.eml'));

  it('writes an RFC 5322 multipart/alternative .eml file', async () => {
    const mailer = createOutboxMailer({
      dataDir,
      from: FROM,
      now: () => new Date('2025-03-04T05:06:07.089Z'),
    });
    const { messageId } = await mailer.send({
      to: 'ana@example.test',
      subject: 'Réinitialisez votre mot de passe',
      text: 'Open https://shop.example.test/reset?token=abc to choose a new password.',
      html: '<p><a href="https://shop.example.test/reset?token=abc">Choose a new password</a></p>',
      key: 'password-reset:42',
    });
    expect(messageId).toMatch(/^<[0-9a-f]{32}@example\.test>$/);

    const [name] = emlFiles();
    expect(name).toMatch(/^2025-03-04T05-06-07-089Z_password-reset-42-[0-9a-f]{12}\.eml$/);
    const raw = readFileSync(path.join(outboxDir(dataDir), name as string), 'utf8');
    const [head = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^From: "ecommerce-3d" <shop@example\.test>$/m);
    expect(head).toMatch(/^To: ana@example\.test$/m);
    expect(head).toMatch(/^Subject: =\?UTF-8\?/m); // RFC 2047: the accent is encoded
    expect(head).toContain(`Message-ID: ${messageId}`);
    expect(head).toMatch(/^Date: Tue, 04 Mar 2025 05:06:07 \+0000$/m);
    expect(head).toMatch(/^MIME-Version: 1\.0$/m);
    expect(head).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(raw).not.toMatch(/[^\r]\n/); // CRLF line ends throughout

    const [email] = await readOutbox(dataDir);
    expect(email).toMatchObject({
      to: 'ana@example.test',
      from: 'shop@example.test',
      subject: 'Réinitialisez votre mot de passe',
      messageId,
      file: path.join(outboxDir(dataDir), name as string),
    });
    expect(email?.text.trim()).toBe(
      'Open https://shop.example.test/reset?token=abc to choose a new password.',
    );
    expect(email?.html).toContain('href="https://shop.example.test/reset?token=abc"');
    expect(email?.date?.toISOString()).toBe('2025-03-04T05:06:07.000Z');
  });

  it('writes the same key once, even when sent concurrently or by another mailer', async () => {
    const a = createOutboxMailer({ dataDir, from: FROM });
    const b = createOutboxMailer({ dataDir, from: FROM });
    const message = {
      to: 'bo@example.test',
      subject: 'Welcome',
      text: 'Hi',
      html: '<p>Hi</p>',
      key: 'welcome:7',
    };
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => a.send(message)),
      ...Array.from({ length: 5 }, () => b.send(message)),
    ]);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    await a.send(message);
    expect(emlFiles()).toHaveLength(1);
    // No temporary file is left behind by the duplicates.
    expect(readdirSync(outboxDir(dataDir)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);

    await a.send({ ...message, key: 'welcome:8' });
    await a.send({ ...message, key: undefined });
    await a.send({ ...message, key: undefined });
    expect(emlFiles()).toHaveLength(4);
    expect((await readOutbox(dataDir)).map((e) => e.to)).toEqual(Array(4).fill('bo@example.test'));
  });

  it('refuses a malformed message for good (no header injection)', async () => {
    const mailer = createOutboxMailer({ dataDir, from: FROM });
    const attempts = [
      { to: 'a@example.test\r\nBcc: victim@example.test', subject: 's', text: '', html: '' },
      { to: 'a@example.test, b@example.test', subject: 's', text: '', html: '' },
      { to: 'a@example.test', subject: 'line\nBcc: x@example.test', text: '', html: '' },
      { to: 'not-an-address', subject: 's', text: '', html: '' },
    ];
    for (const message of attempts) {
      await expect(mailer.send(message)).rejects.toSatisfy(
        (error) => error instanceof MailSendError && error.permanent,
      );
    }
    expect(await readOutbox(dataDir)).toEqual([]);
  });

  it('is what the default settings choose', async () => {
    const mailer = createMailerFromConfig(loadConfig({ DATA_DIR: dataDir }));
    expect(mailer.driver).toBe('outbox');
    await mailer.send({ to: 'c@example.test', subject: 'Hello', text: 'Hello', html: '<b>Hello</b>' });
    const [email] = await readOutbox(dataDir);
    expect(email?.from).toBe('shop@localhost');
    await mailer.close();
  });

  it('names the setting when the configuration cannot work', () => {
    expect(() => createMailerFromConfig(loadConfig({ DATA_DIR: dataDir, MAIL_DRIVER: 'smtp' }))).toThrow(
      /SMTP_URL: must be set when MAIL_DRIVER is smtp/,
    );
    expect(() => createMailerFromConfig(loadConfig({ DATA_DIR: dataDir, MAIL_FROM: 'nobody' }))).toThrow(
      /MAIL_FROM/,
    );
    const ses = createMailerFromConfig(loadConfig({ MAIL_DRIVER: 'ses', AWS_REGION: 'eu-west-1' }));
    expect(ses.driver).toBe('ses');
    return ses.close();
  });
});
