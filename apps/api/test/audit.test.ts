import { type AuditEntry, auditLogSchema } from '@e3d/contracts';
import { type Client, client, expectRoleMatrix, fieldsOf } from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(BACKENDS)('audit log API on %s', (backend) => {
  let api: TestApi;
  let admin: Client;
  let adminId: string;
  let editor: Client;
  let editorId: string;
  let productId: string;
  let categoryId: string;
  const startedAt = new Date(Date.now() - 1_000).toISOString();

  const read = async (query: string) => {
    const response = await admin('GET', `/api/admin/audit-log${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return auditLogSchema.parse(response.body);
  };

  beforeAll(async () => {
    api = await startTestApi(backend, { seed: false });
    const a = await staffToken(api, 'admin');
    const e = await staffToken(api, 'catalog_editor');
    [admin, adminId, editor, editorId] = [client(api, a.token), a.id, client(api, e.token), e.id];
    // A few writes by two people.
    const product = await editor('POST', '/api/admin/products', {
      title: 'Audited lamp',
      variants: [{ sku: 'LAMP-1', price: { amount: 4_900, currency: 'EUR' }, stock: 2 }],
    });
    productId = product.body.id;
    await editor('PATCH', `/api/admin/products/${productId}`, { version: 1, title: 'Audited lamp v2' });
    await editor('POST', `/api/admin/products/${productId}/publish`, { version: 2 });
    categoryId = (await admin('POST', '/api/admin/categories', { name: 'Lighting' })).body.id;
    await admin('POST', '/api/admin/staff', { email: 'audited-invite@staff.test', role: 'support' });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is readable by owners and admins only', async () => {
    await expectRoleMatrix(api, [{ method: 'GET', url: '/api/admin/audit-log', permission: 'audit:read' }]);
  });

  it('records every write with who, what, before and after, newest first', async () => {
    const { items } = await read(`?entityId=${productId}`);
    expect(items.map((e) => e.action)).toEqual(['product.publish', 'product.update', 'product.create']);
    const [publish, update, create] = items as [AuditEntry, AuditEntry, AuditEntry];
    expect(create).toMatchObject({
      staffId: editorId,
      staffEmail: expect.stringMatching(/^catalog_editor-.*@staff\.test$/),
      entityType: 'product',
      before: null,
      after: { title: 'Audited lamp', version: 1, variants: [{ sku: 'LAMP-1', stock: 2 }] },
    });
    expect(update.before).toMatchObject({ title: 'Audited lamp', version: 1 });
    expect(update.after).toMatchObject({ title: 'Audited lamp v2', version: 2 });
    expect(publish.after).toMatchObject({ status: 'published' });
    expect(create.requestId).toBeTruthy();
    expect(create.ip).toBeTruthy();
    expect(Date.parse(create.createdAt)).toBeGreaterThan(Date.parse(startedAt));

    const staff = await read('?entityType=staff&action=staff.invite');
    expect(staff.items).toHaveLength(1);
    expect(staff.items[0]).toMatchObject({ staffId: adminId, after: { email: 'audited-invite@staff.test' } });
    expect(JSON.stringify(staff.items[0]?.after)).not.toMatch(/password/i);
  });

  it('filters by staff member, entity type, action and time', async () => {
    const byAdmin = await read(`?staffId=${adminId}`);
    expect(new Set(byAdmin.items.map((e) => e.action))).toEqual(new Set(['category.create', 'staff.invite']));
    const categories = await read('?entityType=category');
    expect(categories.items.map((e) => e.entityId)).toEqual([categoryId]);
    const updates = await read('?action=product.update');
    expect(updates.items.map((e) => e.entityId)).toEqual([productId]);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await read(`?from=${encodeURIComponent(future)}`)).items).toEqual([]);
    expect((await read(`?to=${encodeURIComponent(startedAt)}`)).items).toEqual([]);
    const window = await read(`?from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(future)}`);
    expect(window.items.length).toBeGreaterThanOrEqual(5);

    const backwards = await admin(
      'GET',
      `/api/admin/audit-log?from=${encodeURIComponent(future)}&to=${encodeURIComponent(startedAt)}`,
    );
    expect(backwards.status).toBe(400);
    expect(fieldsOf(backwards.body)).toEqual(['from']);
    expect(fieldsOf((await admin('GET', '/api/admin/audit-log?from=yesterday')).body)).toEqual(['from']);
    expect(fieldsOf((await admin('GET', '/api/admin/audit-log?cursor=bogus')).body)).toEqual(['cursor']);
  });

  it('pages with a cursor through every entry exactly once', async () => {
    const all = await read('?limit=200');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await read(`?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));
  });

  it('records refused staff actions (who, which route, denied) without the request, but not anonymous calls', async () => {
    const denied = async (query = '') => (await read(`?action=access.denied&limit=200${query}`)).items;
    const anonymousBefore = (await denied()).filter((e) => e.staffId === null).length;
    const support = await staffToken(api, 'support');
    const secret = 'hunter2-do-not-log-me';
    const refused = await client(api, support.token)('POST', '/api/admin/staff', {
      email: 'sneaky@staff.test',
      role: 'owner',
      password: secret,
    });
    expect(refused.status).toBe(403);
    // The audit log's own guard runs on onRequest, before any body is read.
    expect((await editor('GET', '/api/admin/audit-log?action=product.create')).status).toBe(403);
    // A refusal by the service itself: only an owner may make someone an owner.
    const member = (
      await admin('POST', '/api/admin/staff', { email: 'promote-me@staff.test', role: 'support' })
    ).body as { id: string };
    expect((await admin('PATCH', `/api/admin/staff/${member.id}`, { role: 'owner' })).status).toBe(403);
    // Sign-in and token problems are not refusals of a known caller: nothing is written.
    expect((await client(api, undefined)('POST', '/api/admin/staff', { email: 'a@staff.test' })).status).toBe(
      401,
    );
    expect((await client(api, 'not.a.jwt')('GET', '/api/admin/audit-log')).status).toBe(401);

    const [bySupport] = await denied(`&staffId=${support.id}`);
    expect(bySupport).toMatchObject({
      staffId: support.id,
      staffEmail: expect.stringMatching(/^support-.*@staff\.test$/),
      entityType: 'route',
      entityId: 'POST /api/admin/staff',
      before: null,
      after: {
        outcome: 'denied',
        method: 'POST',
        route: '/api/admin/staff',
        role: 'support',
        permission: 'staff:write',
        code: 'forbidden',
      },
    });
    expect(bySupport?.requestId).toBeTruthy();
    expect(bySupport?.ip).toBeTruthy();
    expect(JSON.stringify(bySupport)).not.toContain(secret);
    expect(JSON.stringify(bySupport)).not.toContain('sneaky');

    const byEditor = await denied(`&staffId=${editorId}`);
    expect(byEditor.map((e) => e.entityId)).toEqual(['GET /api/admin/audit-log']);
    expect(byEditor[0]?.after).toMatchObject({ permission: 'audit:read', role: 'catalog_editor' });
    expect(JSON.stringify(byEditor[0])).not.toContain('product.create');

    const byAdmin = await denied(`&staffId=${adminId}`);
    expect(byAdmin.map((e) => e.entityId)).toEqual(['PATCH /api/admin/staff/:staffId']);
    expect(byAdmin[0]?.after).toMatchObject({ params: { staffId: member.id }, role: 'admin' });
    expect((await denied()).filter((e) => e.staffId === null)).toHaveLength(anonymousBefore);
  });

  it('writes nothing for a write that failed, and history cannot be rewritten', async () => {
    const before = (await read('?limit=200')).items.length;
    const stale = await editor('PATCH', `/api/admin/products/${productId}`, { version: 1, title: 'lost' });
    expect(stale.status).toBe(409);
    const taken = await admin('POST', '/api/admin/categories', { name: 'Lighting', handle: 'lighting' });
    expect(taken.status).toBe(409);
    expect((await read('?limit=200')).items.length).toBe(before);
    await expect(api.db.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(api.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
