import { type Config, ConfigError } from '@e3d/config';
import { type Mailer, mailboxAddress } from './message.ts';
import { createOutboxMailer } from './outbox.ts';
import { createSesMailer } from './ses.ts';
import { createSmtpMailer } from './smtp.ts';

export * from './message.ts';
export * from './outbox.ts';
export * from './queue.ts';
export * from './ses.ts';
export * from './smtp.ts';

/** The mailer MAIL_DRIVER chooses: outbox (default, .eml files), ses or smtp. */
export function createMailerFromConfig(config: Config): Mailer {
  const from = config.MAIL_FROM;
  if (!mailboxAddress(from)) {
    throw new ConfigError([
      { setting: 'MAIL_FROM', message: 'must be an address like Shop <shop@example.com>' },
    ]);
  }
  switch (config.MAIL_DRIVER) {
    case 'outbox':
      return createOutboxMailer({ dataDir: config.dataDir, from });
    case 'ses':
      return createSesMailer({ from, region: config.AWS_REGION });
    case 'smtp':
      if (!config.SMTP_URL) {
        throw new ConfigError([{ setting: 'SMTP_URL', message: 'must be set when MAIL_DRIVER is smtp' }]);
      }
      return createSmtpMailer({ url: config.SMTP_URL, from });
  }
}
