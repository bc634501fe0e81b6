/** The email a new staff member receives: who invited them, and where to choose a password. */

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const ROLE_NAMES: Record<string, string> = {
  owner: 'an owner',
  admin: 'an admin',
  catalog_editor: 'a catalog editor',
  support: 'a support agent',
};

export function staffInviteEmail(input: {
  role: string;
  invitedBy: string;
  link: string;
  validDays: number;
}) {
  const role = ROLE_NAMES[input.role] ?? input.role;
  const text = [
    `${input.invitedBy} invited you to the shop's admin as ${role}.`,
    '',
    `Choose your password here (the link works once, for ${input.validDays} days):`,
    input.link,
    '',
    'If you did not expect this, ignore this email.',
  ].join('\n');
  const html = `<p>${escapeHtml(input.invitedBy)} invited you to the shop's admin as ${role}.</p>
<p><a href="${escapeHtml(input.link)}">Choose your password</a> (the link works once, for ${input.validDays} days).</p>
<p>If you did not expect this, ignore this email.</p>`;
  return { subject: "You're invited to the shop admin", text, html };
}
