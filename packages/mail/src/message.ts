import { createHash, randomUUID } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** idempotency: same key = same email */
  key?: string;
}

export type MailDriver = 'outbox' | 'ses' | 'smtp';

export interface Mailer {
  readonly driver: MailDriver;
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/**
 * A send that failed. `permanent` when sending it again cannot succeed (rejected address,
 * unverified sender, malformed message): the job is dead-lettered instead of retried.
 */
export class MailSendError extends Error {
  readonly permanent: boolean;
  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'MailSendError';
    this.permanent = options.permanent;
  }
}

const LINE_BREAK = /[\r\n]/;

/** The address part of a single mailbox ("Name <a@b>" or "a@b"), or null. */
export function mailboxAddress(value: string): string | null {
  if (LINE_BREAK.test(value)) return null;
  const parsed = addressparser(value, { flatten: true });
  if (parsed.length !== 1) return null;
  const address = parsed[0]?.address ?? '';
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

/** Checks a message before any driver sees it: one recipient, no header injection. */
export function checkMessage(value: unknown): MailMessage {
  const m = value as Partial<Record<keyof MailMessage, unknown>> | null;
  const problems: string[] = [];
  if (!m || typeof m !== 'object')
    throw new MailSendError('mail message must be an object', { permanent: true });
  if (typeof m.to !== 'string' || !mailboxAddress(m.to)) problems.push('to must be one email address');
  if (typeof m.subject !== 'string' || m.subject.length === 0 || LINE_BREAK.test(m.subject))
    problems.push('subject must be one non-empty line');
  if (typeof m.text !== 'string') problems.push('text must be a string');
  if (typeof m.html !== 'string') problems.push('html must be a string');
  if (m.key !== undefined && (typeof m.key !== 'string' || m.key.length === 0 || m.key.length > 200))
    problems.push('key must be a string of 1 to 200 characters');
  if (problems.length > 0)
    throw new MailSendError(`invalid mail message: ${problems.join('; ')}`, { permanent: true });
  const message: MailMessage = {
    to: m.to as string,
    subject: m.subject as string,
    text: m.text as string,
    html: m.html as string,
  };
  if (typeof m.key === 'string') message.key = m.key;
  return message;
}

export const keyDigest = (key: string) => createHash('sha256').update(`e3d-mail:${key}`).digest('hex');

/**
 * RFC 5322 Message-ID in the sender's domain. Derived from the idempotency key when there
 * is one, so a repeated send of the same email carries the same id (receivers can dedupe).
 */
export function messageIdFor(message: MailMessage, from: string): string {
  const domain = mailboxAddress(from)?.split('@')[1] ?? 'localhost';
  const local = message.key ? keyDigest(message.key).slice(0, 32) : randomUUID().replaceAll('-', '');
  return `<${local}@${domain}>`;
}

/** The whole message as RFC 5322 text: multipart/alternative, text then html, UTF-8. */
export async function composeRfc5322(
  message: MailMessage,
  options: { from: string; messageId: string; date: Date },
): Promise<Buffer> {
  const node = new MailComposer({
    from: options.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: options.messageId,
    date: options.date,
    textEncoding: 'quoted-printable',
  }).compile();
  return node.build();
}
