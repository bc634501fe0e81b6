/** The account emails: plain text first, and the same words as simple HTML. */

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function passwordResetEmail(link: string, validMinutes: number): EmailContent {
  const text = [
    'Someone asked to reset the password of your account.',
    '',
    `Choose a new password here (the link works once, for ${validMinutes} minutes):`,
    link,
    '',
    'If it was not you, ignore this email: your password stays as it is.',
  ].join('\n');
  const html = `<p>Someone asked to reset the password of your account.</p>
<p><a href="${escapeHtml(link)}">Choose a new password</a> (the link works once, for ${validMinutes} minutes).</p>
<p>If it was not you, ignore this email: your password stays as it is.</p>`;
  return { subject: 'Reset your password', text, html };
}

export function passwordChangedEmail(): EmailContent {
  const text = [
    'The password of your account was just changed, and other devices were signed out.',
    '',
    'If it was not you, reset your password now and contact us.',
  ].join('\n');
  const html = `<p>The password of your account was just changed, and other devices were signed out.</p>
<p>If it was not you, reset your password now and contact us.</p>`;
  return { subject: 'Your password was changed', text, html };
}
