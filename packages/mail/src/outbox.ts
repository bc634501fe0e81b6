import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { checkMessage, composeRfc5322, keyDigest, type Mailer, messageIdFor } from './message.ts';

export const outboxDir = (dataDir: string) => path.join(dataDir, 'outbox');

/** 2025-01-31T12-00-00-123Z: sorts by time, valid on every file system. */
const stamp = (date: Date) => date.toISOString().replace(/[:.]/g, '-');

const slugFor = (key: string) =>
  `${key
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 48)}-${keyDigest(key).slice(0, 12)}`;

/**
 * The embedded default: every email becomes an RFC 5322 `.eml` file under
 * `${dataDir}/outbox/`, named `<time>_<key>.eml`, that any mail client opens.
 *
 * Each file is written to a temporary name and renamed, so a reader never sees half an
 * email. A keyed email is claimed first by hard-linking it to `.keys/<digest>.eml`, which
 * fails if that key was sent before (in this or any other process): the same key is
 * written once, never twice.
 */
export function createOutboxMailer(options: { dataDir: string; from: string; now?: () => Date }): Mailer {
  const dir = outboxDir(options.dataDir);
  const keysDir = path.join(dir, '.keys');
  const now = options.now ?? (() => new Date());
  return {
    driver: 'outbox',
    async send(input) {
      const message = checkMessage(input);
      const date = now();
      const messageId = messageIdFor(message, options.from);
      const eml = await composeRfc5322(message, { from: options.from, messageId, date });
      await mkdir(keysDir, { recursive: true });
      const tmp = path.join(dir, `.tmp-${randomUUID()}`);
      const file = await open(tmp, 'wx');
      try {
        await file.writeFile(eml);
        await file.sync();
      } finally {
        await file.close();
      }
      if (message.key) {
        try {
          await link(tmp, path.join(keysDir, `${keyDigest(message.key)}.eml`));
        } catch (error) {
          await unlink(tmp).catch(() => {});
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { messageId };
          throw error;
        }
      }
      const name = `${stamp(date)}_${message.key ? slugFor(message.key) : randomUUID().slice(0, 13)}.eml`;
      await rename(tmp, path.join(dir, name));
      return { messageId };
    },
    async close() {},
  };
}

export interface OutboxEmail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  date: Date | undefined;
  /** Absolute path of the .eml file. */
  file: string;
}

/** The outbox's emails, oldest first (tests read reset links from them). */
export async function readOutbox(dataDir: string): Promise<OutboxEmail[]> {
  const dir = outboxDir(dataDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names.filter((n) => n.endsWith('.eml') && !n.startsWith('.')).sort();
  return Promise.all(
    files.map(async (name) => {
      const file = path.join(dir, name);
      const parsed = await simpleParser(await readFile(file));
      const addresses = (to: typeof parsed.to) =>
        (Array.isArray(to) ? to : to ? [to] : [])
          .flatMap((a) => a.value.map((v) => v.address ?? ''))
          .join(', ');
      return {
        to: addresses(parsed.to),
        from: addresses(parsed.from),
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : '',
        messageId: parsed.messageId ?? '',
        date: parsed.date,
        file,
      };
    }),
  );
}
