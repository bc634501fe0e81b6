import nodemailer from 'nodemailer';
import { checkMessage, type Mailer, MailSendError, messageIdFor } from './message.ts';

/**
 * SMTP through nodemailer, on a small connection pool. `url` carries host, port, TLS
 * (`smtps://` = implicit TLS, `smtp://` upgrades with STARTTLS when offered) and credentials.
 */
export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    driver: 'smtp',
    async send(input) {
      const message = checkMessage(input);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: messageIdFor(message, options.from),
        });
        return { messageId: info.messageId };
      } catch (error) {
        const { responseCode, message: detail } = error as { responseCode?: number; message: string };
        // 5xx is the server's final answer (unknown mailbox, rejected sender); 4xx and lost
        // connections are worth another try.
        throw new MailSendError(`SMTP send failed: ${detail}`, {
          permanent: typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600,
          cause: error,
        });
      }
    },
    async close() {
      transport.close();
    },
  };
}
