import { staffListSchema, staffMemberSchema } from '@e3d/contracts';
import {
  type Client,
  client,
  expectRoleMatrix,
  fieldsOf,
  type RouteCase,
  UNKNOWN_ID,
} from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const STAFF_ROUTES: RouteCase[] = [
  { method: 'GET', url: '/api/admin/staff', permission: 'staff:read' },
  { method: 'POST', url: '/api/admin/staff', permission: 'staff:write', body: {} },
  { method: 'GET', url: `/api/admin/staff/${UNKNOWN_ID}`, permission: 'staff:read' },
  { method: 'PATCH', url: `/api/admin/staff/${UNKNOWN_ID}`, permission: 'staff:write', body: { name: 'x' } },
];

let counter = 0;
const newEmail = (prefix: string) => `${prefix}-${++counter}-${Date.now()}@Staff.Test`;

describe.each(BACKENDS)('staff API on %s', (backend) => {
  let api: TestApi;
  let owner: Client;
  let ownerId: string;
  let admin: Client;

  const invite = async (as: Client, body: object) => {
    const response = await as('POST', '/api/admin/staff', body);
    return { ...response, member: response.status === 201 ? staffMemberSchema.parse(response.body) : null };
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
    const o = await staffToken(api, 'owner');
    ownerId = o.id;
    owner = client(api, o.token);
    admin = client(api, (await staffToken(api, 'admin')).token);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lets each role reach exactly the routes its permissions allow', async () => {
    await expectRoleMatrix(api, STAFF_ROUTES);
  });

  it('invites a member with a role and emails a one-time link to choose a password', async () => {
    const email = newEmail('editor');
    const { status, member } = await invite(admin, { email, name: 'Eddie', role: 'catalog_editor' });
    expect(status).toBe(201);
    expect(member).toMatchObject({
      email: email.toLowerCase(),
      name: 'Eddie',
      role: 'catalog_editor',
      status: 'active',
      invited: true,
      lastLoginAt: null,
    });
    const [job] = await api.db.query<{ payload: { to: string; subject: string; text: string } }>(
      `SELECT payload FROM jobs WHERE queue = 'mail.send' AND payload->>'to' = $1`,
      [email.toLowerCase()],
    );
    expect(job?.payload.subject).toMatch(/invited/i);
    const link = /(http\S+accept-invite\?token=\S+)/.exec(job?.payload.text ?? '')?.[1] ?? '';
    expect(link.startsWith(api.config.ADMIN_URL)).toBe(true);

    // The link's token is what the staff accept-invite route redeems.
    const token = decodeURIComponent(new URL(link).searchParams.get('token') ?? '');
    const password = 'a long enough staff passphrase';
    const accepted = await api.app.inject({
      method: 'POST',
      url: '/api/admin/auth/accept-invite',
      payload: { token, password },
    });
    expect(accepted.statusCode, accepted.body).toBe(204);
    const fetched = staffMemberSchema.parse((await admin('GET', `/api/admin/staff/${member?.id}`)).body);
    expect(fetched.invited).toBe(false);

    const list = staffListSchema.parse((await admin('GET', '/api/admin/staff')).body);
    expect(list.items.map((m) => m.email)).toContain(email.toLowerCase());
    expect(list.items[0]?.role).toBe('owner');
    expect(JSON.stringify(list)).not.toMatch(/password|argon/i);
  });

  it('validates invites: field named (400), address taken (409)', async () => {
    expect(fieldsOf((await invite(admin, { email: 'not-an-email', role: 'support' })).body)).toEqual([
      'email',
    ]);
    expect(fieldsOf((await invite(admin, { email: newEmail('x'), role: 'janitor' })).body)).toEqual(['role']);
    const email = newEmail('twice');
    expect((await invite(admin, { email, role: 'support' })).status).toBe(201);
    const again = await invite(admin, { email: email.toUpperCase(), role: 'support' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'email_taken', errors: [{ field: 'email' }] });
    expect((await admin('GET', `/api/admin/staff/${UNKNOWN_ID}`)).status).toBe(404);
    expect((await admin('PATCH', `/api/admin/staff/${UNKNOWN_ID}`, { role: 'support' })).status).toBe(404);
    expect(fieldsOf((await admin('PATCH', `/api/admin/staff/${UNKNOWN_ID}`, {})).body)).toEqual(['role']);
  });

  it('only an owner creates, changes or makes owners', async () => {
    const byAdmin = await invite(admin, { email: newEmail('owner'), role: 'owner' });
    expect(byAdmin.status).toBe(403);
    const byOwner = await invite(owner, { email: newEmail('owner'), role: 'owner' });
    expect(byOwner.status).toBe(201);
    const otherOwner = byOwner.member?.id;

    const support = await invite(admin, { email: newEmail('support'), role: 'support' });
    const promote = await admin('PATCH', `/api/admin/staff/${support.member?.id}`, { role: 'owner' });
    expect(promote.status).toBe(403);
    expect(promote.body.code).toBe('forbidden');
    for (const body of [{ role: 'admin' }, { status: 'deactivated' }, { name: 'Renamed' }]) {
      const touch = await admin('PATCH', `/api/admin/staff/${otherOwner}`, body);
      expect(touch.status, JSON.stringify(body)).toBe(403);
    }
    const demoted = await owner('PATCH', `/api/admin/staff/${otherOwner}`, { role: 'admin' });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe('admin');
    const promoted = await owner('PATCH', `/api/admin/staff/${support.member?.id}`, { role: 'owner' });
    expect(promoted.body.role).toBe('owner');
  });

  it('never demotes or deactivates the last active owner', async () => {
    // Leave exactly one active owner.
    await api.db.query(`UPDATE staff SET status = 'deactivated' WHERE role = 'owner' AND id <> $1`, [
      ownerId,
    ]);
    const demote = await owner('PATCH', `/api/admin/staff/${ownerId}`, { role: 'admin' });
    expect(demote.status).toBe(409);
    expect(demote.body.code).toBe('last_owner');
    const deactivate = await owner('PATCH', `/api/admin/staff/${ownerId}`, { status: 'deactivated' });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.code).toBe('cannot_deactivate_self');

    // With a second owner, stepping down is fine.
    const second = await invite(owner, { email: newEmail('second-owner'), role: 'owner' });
    const stepDown = await owner('PATCH', `/api/admin/staff/${ownerId}`, { role: 'admin' });
    expect(stepDown.status).toBe(200);
    // The change applies to the very next request: no longer an owner, so no more owner changes.
    const after = await owner('PATCH', `/api/admin/staff/${second.member?.id}`, { role: 'admin' });
    expect(after.status).toBe(403);
    await api.db.query(`UPDATE staff SET role = 'owner' WHERE id = $1`, [ownerId]);
    // Two owners, both active: now the second may be demoted, but not the last one after that.
    expect((await owner('PATCH', `/api/admin/staff/${second.member?.id}`, { role: 'admin' })).status).toBe(
      200,
    );
    expect((await owner('PATCH', `/api/admin/staff/${ownerId}`, { role: 'support' })).body.code).toBe(
      'last_owner',
    );
  });

  it('deactivation signs the member out at once; reactivation lets them back', async () => {
    const member = await staffToken(api, 'catalog_editor');
    const asMember = client(api, member.token);
    await api.db.query(
      `INSERT INTO refresh_tokens (family_id, subject_type, subject_id, token_hash, expires_at)
       VALUES (gen_random_uuid(), 'staff', $1, $2, now() + interval '1 day')`,
      [member.id, `hash-${member.id}`],
    );
    expect((await asMember('GET', '/api/admin/products')).status).toBe(200);

    const off = await admin('PATCH', `/api/admin/staff/${member.id}`, { status: 'deactivated' });
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('deactivated');
    const refused = await asMember('GET', '/api/admin/products');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('account_inactive');
    const [token] = await api.db.query<{ revoked: boolean }>(
      'SELECT revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE subject_id = $1',
      [member.id],
    );
    expect(token?.revoked).toBe(true);

    const on = await admin('PATCH', `/api/admin/staff/${member.id}`, { status: 'active', role: 'support' });
    expect(on.body).toMatchObject({ status: 'active', role: 'support' });
    // The token still says catalog_editor; the role is read from the database.
    expect((await asMember('GET', '/api/admin/products')).status).toBe(200);
    expect((await asMember('POST', '/api/admin/products', { title: 'x' })).status).toBe(403);

    const audit = await api.db.query<{
      action: string;
      before: { status: string };
      after: { status: string };
    }>(
      `SELECT action, before, after FROM audit_log WHERE entity_type = 'staff' AND entity_id = $1 ORDER BY id`,
      [member.id],
    );
    expect(audit.map((a) => [a.action, a.before.status, a.after.status])).toEqual([
      ['staff.update', 'active', 'deactivated'],
      ['staff.update', 'deactivated', 'active'],
    ]);
  });
});
