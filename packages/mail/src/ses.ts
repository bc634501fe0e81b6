import { SESv2Client, type SESv2ClientConfig, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { checkMessage, type Mailer, MailSendError } from './message.ts';

/** SES answers that sending this message again will not help (fix the message or the account). */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'BadRequestException',
  'NotFoundException',
]);

export interface SesMailerOptions {
  from: string;
  region: string;
  /** Endpoint, credentials… for tests and SES-compatible services; unset on AWS (task role). */
  clientConfig?: SESv2ClientConfig;
  configurationSetName?: string;
}

/** Amazon SES (API v2), Simple content: SES builds the MIME message from text + html. */
export function createSesMailer(options: SesMailerOptions): Mailer {
  const client = new SESv2Client({ region: options.region, maxAttempts: 3, ...options.clientConfig });
  const utf8 = (data: string) => ({ Data: data, Charset: 'UTF-8' });
  return {
    driver: 'ses',
    async send(input) {
      const message = checkMessage(input);
      try {
        const result = await client.send(
          new SendEmailCommand({
            FromEmailAddress: options.from,
            Destination: { ToAddresses: [message.to] },
            Content: {
              Simple: {
                Subject: utf8(message.subject),
                Body: { Text: utf8(message.text), Html: utf8(message.html) },
              },
            },
            ...(options.configurationSetName ? { ConfigurationSetName: options.configurationSetName } : {}),
          }),
        );
        if (!result.MessageId)
          throw new MailSendError('SES accepted the email without a MessageId', { permanent: false });
        return { messageId: result.MessageId };
      } catch (error) {
        if (error instanceof MailSendError) throw error;
        const name = (error as Error).name;
        throw new MailSendError(`SES SendEmail failed: ${name}: ${(error as Error).message}`, {
          permanent: PERMANENT.has(name),
          cause: error,
        });
      }
    },
    async close() {
      client.destroy();
    },
  };
}
