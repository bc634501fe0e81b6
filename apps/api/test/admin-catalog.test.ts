import { REVALIDATE_QUEUE, revalidateJobHandler } from '@e3d/catalog';
import {
  adminCategorySchema,
  adminCategoryTreeSchema,
  adminCollectionDetailSchema,
  adminMediaListSchema,
  adminProductListSchema,
  adminProductSchema,
  bulkEditResultSchema,
  materialVariantMappingSchema,
  problemSchema,
  productDetailSchema,
  productListSchema,
} from '@e3d/contracts';
import { drain } from '@e3d/jobs';
import {
  type Client,
  client,
  expectRoleMatrix,
  fieldsOf,
  type RouteCase,
  UNKNOWN_ID,
} from '@e3d/testing/admin-api';
import { staffToken, startTestApi, type TestApi } from '@e3d/testing/api';
import { eventually } from '@e3d/testing/eventually';
import { BACKENDS } from '@e3d/testing/postgres';
import { startRevalidateServer } from '@e3d/testing/revalidate-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'revalidate-secret-for-tests-0123456789abcdef';

const id = UNKNOWN_ID;
const ADMIN_CATALOG_ROUTES: RouteCase[] = [
  { method: 'GET', url: '/api/admin/products', permission: 'catalog:read' },
  { method: 'POST', url: '/api/admin/products', permission: 'catalog:write', body: {} },
  { method: 'GET', url: `/api/admin/products/${id}`, permission: 'catalog:read' },
  { method: 'PATCH', url: `/api/admin/products/${id}`, permission: 'catalog:write', body: { version: 1 } },
  { method: 'DELETE', url: `/api/admin/products/${id}`, permission: 'catalog:write' },
  {
    method: 'POST',
    url: `/api/admin/products/${id}/publish`,
    permission: 'catalog:write',
    body: { version: 1 },
  },
  { method: 'POST', url: `/api/admin/products/${id}/unpublish`, permission: 'catalog:write', body: {} },
  { method: 'POST', url: `/api/admin/products/${id}/archive`, permission: 'catalog:write', body: {} },
  { method: 'PUT', url: `/api/admin/products/${id}/variants`, permission: 'catalog:write', body: {} },
  { method: 'PATCH', url: `/api/admin/products/${id}/variants/${id}`, permission: 'catalog:write', body: {} },
  { method: 'POST', url: '/api/admin/products/bulk', permission: 'catalog:write', body: { rows: [] } },
  { method: 'GET', url: '/api/admin/categories', permission: 'catalog:read' },
  { method: 'POST', url: '/api/admin/categories', permission: 'catalog:write', body: {} },
  { method: 'GET', url: `/api/admin/categories/${id}`, permission: 'catalog:read' },
  { method: 'PATCH', url: `/api/admin/categories/${id}`, permission: 'catalog:write', body: {} },
  { method: 'DELETE', url: `/api/admin/categories/${id}`, permission: 'catalog:write' },
  { method: 'GET', url: '/api/admin/collections', permission: 'catalog:read' },
  { method: 'POST', url: '/api/admin/collections', permission: 'catalog:write', body: {} },
  { method: 'GET', url: `/api/admin/collections/${id}`, permission: 'catalog:read' },
  { method: 'PATCH', url: `/api/admin/collections/${id}`, permission: 'catalog:write', body: {} },
  { method: 'PUT', url: `/api/admin/collections/${id}/products`, permission: 'catalog:write', body: {} },
  { method: 'DELETE', url: `/api/admin/collections/${id}`, permission: 'catalog:write' },
  { method: 'PUT', url: `/api/admin/products/${id}/media/order`, permission: 'media:write', body: {} },
  { method: 'PATCH', url: `/api/admin/media/${id}`, permission: 'media:write', body: {} },
  { method: 'GET', url: `/api/admin/media/${id}/material-variants`, permission: 'catalog:read' },
  { method: 'PUT', url: `/api/admin/media/${id}/material-variants`, permission: 'media:write', body: {} },
  // The upload routes of the media module, under the same rules.
  { method: 'GET', url: `/api/admin/products/${id}/media`, permission: 'catalog:read' },
  { method: 'POST', url: `/api/admin/products/${id}/media/uploads`, permission: 'media:write', body: {} },
  { method: 'DELETE', url: `/api/admin/media/${id}`, permission: 'media:write' },
];

const money = (amount: number, currency = 'EUR') => ({ amount, currency });

/** A desk with a Size × Finish grid of four variants. */
const deskInput = (handle: string, skuPrefix: string) => ({
  handle,
  title: `Desk ${handle}`,
  description: 'A sturdy desk.',
  options: [
    { name: 'Size', values: ['Small', 'Large'] },
    { name: 'Finish', values: ['Oak', 'Walnut'] },
  ],
  variants: [
    { sku: `${skuPrefix}-S-OAK`, options: { Size: 'Small', Finish: 'Oak' }, price: money(19_900), stock: 3 },
    {
      sku: `${skuPrefix}-S-WAL`,
      options: { Size: 'Small', Finish: 'Walnut' },
      price: money(21_900),
      stock: 0,
    },
    { sku: `${skuPrefix}-L-OAK`, options: { Size: 'Large', Finish: 'Oak' }, price: money(29_900), stock: 1 },
    {
      sku: `${skuPrefix}-L-WAL`,
      options: { Size: 'Large', Finish: 'Walnut' },
      price: money(31_900),
      compareAtPrice: money(35_000),
      stock: 2,
    },
  ],
});

describe.each(BACKENDS)('admin catalog API on %s', (backend) => {
  let api: TestApi;
  let storefront: Awaited<ReturnType<typeof startRevalidateServer>>;
  let editor: Client;
  let editorId: string;

  const createDesk = async (handle: string, skuPrefix = handle.toUpperCase()) => {
    const created = await editor('POST', '/api/admin/products', deskInput(handle, skuPrefix));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return adminProductSchema.parse(created.body);
  };
  const publicGet = (url: string) => api.app.inject({ method: 'GET', url });
  const auditFor = (entityId: string) =>
    api.db.query<{ action: string; before: unknown; after: unknown; staff_id: string; request_id: string }>(
      'SELECT action, before, after, staff_id, request_id FROM audit_log WHERE entity_id = $1 ORDER BY id',
      [entityId],
    );
  const sendRevalidations = () =>
    drain(api.db, { [REVALIDATE_QUEUE]: revalidateJobHandler({ url: storefront.url, secret: SECRET }) });

  beforeAll(async () => {
    storefront = await startRevalidateServer();
    api = await startTestApi(backend, {
      seed: false,
      env: { STOREFRONT_REVALIDATE_URL: storefront.url, REVALIDATE_SECRET: SECRET },
    });
    const member = await staffToken(api, 'catalog_editor');
    editorId = member.id;
    editor = client(api, member.token);
  });
  afterAll(async () => {
    await api?.close();
    await storefront?.close();
  });

  it('lets each role reach exactly the routes its permissions allow', async () => {
    await expectRoleMatrix(api, ADMIN_CATALOG_ROUTES);
  });

  it('documents the admin routes in OpenAPI, from the same schemas', async () => {
    const response = await publicGet('/api/openapi.json');
    expect(response.statusCode, response.body).toBe(200);
    const doc = response.json() as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: object };
    };
    for (const route of ADMIN_CATALOG_ROUTES) {
      const path = route.url
        .replaceAll(UNKNOWN_ID, '{x}')
        .replace(/\/(products|media|categories|collections|variants)\/\{x\}/g, '/$1/{id}');
      const documented = Object.keys(doc.paths).map((p) => p.replace(/\{[A-Za-z]+\}/g, '{id}'));
      expect(documented, path).toContain(path);
    }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/admin/staff', '/api/admin/staff/{staffId}', '/api/admin/audit-log']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'AdminProduct',
        'ProductCreate',
        'BulkEdit',
        'AdminCategoryTree',
        'MaterialVariantLinks',
      ]),
    );
  });

  it('creates a draft with its option grid; drafts are listed for staff only', async () => {
    const desk = await createDesk('standing-desk');
    expect(desk).toMatchObject({ status: 'draft', version: 1, publishedAt: null, inStock: true });
    expect(desk.priceRange).toEqual({ min: money(19_900), max: money(31_900) });
    expect(desk.options.map((o) => [o.name, o.values.map((v) => v.value)])).toEqual([
      ['Size', ['Small', 'Large']],
      ['Finish', ['Oak', 'Walnut']],
    ]);
    expect(desk.variants.map((v) => [v.sku, v.title, v.options])).toEqual([
      ['STANDING-DESK-S-OAK', 'Small / Oak', { Size: 'Small', Finish: 'Oak' }],
      ['STANDING-DESK-S-WAL', 'Small / Walnut', { Size: 'Small', Finish: 'Walnut' }],
      ['STANDING-DESK-L-OAK', 'Large / Oak', { Size: 'Large', Finish: 'Oak' }],
      ['STANDING-DESK-L-WAL', 'Large / Walnut', { Size: 'Large', Finish: 'Walnut' }],
    ]);
    const fetched = await editor('GET', `/api/admin/products/${desk.id}`);
    expect(fetched.headers.etag).toBe('"1"');
    expect(adminProductSchema.parse(fetched.body)).toEqual(desk);

    // The handle comes from the title when none is given, made unique.
    const a = adminProductSchema.parse(
      (await editor('POST', '/api/admin/products', { title: 'Café Chair!' })).body,
    );
    const b = adminProductSchema.parse(
      (await editor('POST', '/api/admin/products', { title: 'Cafe chair' })).body,
    );
    expect([a.handle, b.handle]).toEqual(['cafe-chair', 'cafe-chair-2']);

    const drafts = adminProductListSchema.parse(
      (await editor('GET', '/api/admin/products?status=draft')).body,
    );
    expect(drafts.items.map((p) => p.handle)).toEqual(
      expect.arrayContaining(['standing-desk', 'cafe-chair']),
    );
    const bySku = adminProductListSchema.parse(
      (await editor('GET', '/api/admin/products?q=STANDING-DESK-L')).body,
    );
    expect(bySku.items.map((p) => p.handle)).toEqual(['standing-desk']);
    expect((await publicGet('/api/products/standing-desk')).statusCode).toBe(404);
  });

  it('pages through every product with a cursor', async () => {
    for (const n of [1, 2, 3]) await editor('POST', '/api/admin/products', { title: `Paged ${n}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `sort=title&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = adminProductListSchema.parse((await editor('GET', `/api/admin/products?${query}`)).body);
      seen.push(...page.items.map((p) => p.title));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['Paged 1', 'Paged 2', 'Paged 3']));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('refuses a stale version with 409 and the current version; If-Match works too', async () => {
    const desk = await createDesk('versioned-desk');
    const first = await editor('PATCH', `/api/admin/products/${desk.id}`, { version: 1, title: 'Desk v2' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(first.headers.etag).toBe('"2"');

    const stale = await editor('PATCH', `/api/admin/products/${desk.id}`, {
      version: 1,
      title: 'Lost update',
    });
    expect(stale.status).toBe(409);
    expect(problemSchema.parse(stale.body)).toMatchObject({ code: 'version_conflict', currentVersion: 2 });

    const viaHeader = await editor(
      'PATCH',
      `/api/admin/products/${desk.id}`,
      { title: 'Desk v3' },
      { 'if-match': '"2"' },
    );
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body).toMatchObject({ version: 3, title: 'Desk v3' });
    const staleHeader = await editor('POST', `/api/admin/products/${desk.id}/publish`, undefined, {
      'if-match': 'W/"2"',
    });
    expect(staleHeader.status).toBe(409);
    expect(staleHeader.body.code).toBe('version_conflict');

    const missing = await editor('PATCH', `/api/admin/products/${desk.id}`, { title: 'No version' });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['version']);
    const grid = await editor('PUT', `/api/admin/products/${desk.id}/variants`, {
      version: 2,
      options: [],
      variants: [],
    });
    expect(grid.status).toBe(409);
    expect(grid.body.currentVersion).toBe(3);
    const current = adminProductSchema.parse((await editor('GET', `/api/admin/products/${desk.id}`)).body);
    expect(current).toMatchObject({ title: 'Desk v3', version: 3 });
    expect(current.variants).toHaveLength(4);

    // Two editors saving the same version at the same moment: exactly one wins.
    const race = await Promise.all(
      ['A', 'B'].map((who) => editor('PATCH', `/api/admin/products/${desk.id}`, { version: 3, title: who })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('names the field of every invalid write (400), and refuses taken handles and SKUs (409)', async () => {
    const desk = await createDesk('validated-desk');
    const cases: [string, string, unknown, string[]][] = [
      ['POST', '/api/admin/products', { description: 'no title' }, ['title']],
      ['POST', '/api/admin/products', { title: 'X', handle: 'Not A Handle' }, ['handle']],
      [
        'POST',
        '/api/admin/products',
        { title: 'X', variants: [{ sku: 'X-1', price: { amount: 10.5, currency: 'EUR' } }] },
        ['variants.0.price.amount'],
      ],
      [
        'POST',
        '/api/admin/products',
        { title: 'X', variants: [{ sku: 'X-1', price: { amount: 100, currency: 'EURO' } }] },
        ['variants.0.price.currency'],
      ],
      [
        'POST',
        '/api/admin/products',
        { title: 'X', variants: [{ sku: 'X-1', price: { amount: 100, currency: 'XYZ' } }] },
        ['variants.0.price.currency'],
      ],
      [
        'POST',
        '/api/admin/products',
        { title: 'X', variants: [{ sku: 'X-1', price: money(500), compareAtPrice: money(400) }] },
        ['variants.0.compareAtPrice.amount'],
      ],
      [
        'PUT',
        `/api/admin/products/${desk.id}/variants`,
        {
          version: 1,
          options: [{ name: 'Size', values: ['S', 'L'] }],
          variants: [
            { sku: 'V-1', options: { Size: 'S' }, price: money(100) },
            { sku: 'V-2', options: { Size: 'M' }, price: money(100) },
            { sku: 'V-1', options: { Size: 'S' }, price: money(100, 'USD') },
          ],
        },
        ['variants.1.options.Size', 'variants.2.options', 'variants.2.sku', 'variants.2.price.currency'],
      ],
      ['PATCH', `/api/admin/products/${desk.id}`, { version: 1, categoryIds: ['nope'] }, ['categoryIds.0']],
      [
        'PATCH',
        `/api/admin/products/${desk.id}`,
        { version: 1, categoryIds: [UNKNOWN_ID] },
        ['categoryIds.0'],
      ],
      [
        'PATCH',
        `/api/admin/products/${desk.id}/variants/${desk.variants[0]?.id}`,
        { version: 1, compareAtPrice: money(100) },
        ['compareAtPrice.amount'],
      ],
    ];
    for (const [method, url, body, fields] of cases) {
      const response = await editor(method as 'POST', url, body);
      if (fields.length === 0) continue;
      expect(response.status, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(fieldsOf(response.body).sort()).toEqual([...fields].sort());
    }

    const handleTaken = await editor('POST', '/api/admin/products', {
      title: 'Dup',
      handle: 'validated-desk',
    });
    expect(handleTaken.status).toBe(409);
    expect(handleTaken.body).toMatchObject({ code: 'handle_taken', errors: [{ field: 'handle' }] });
    const other = await createDesk('other-desk');
    const renamed = await editor('PATCH', `/api/admin/products/${other.id}`, {
      version: 1,
      handle: 'validated-desk',
    });
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe('handle_taken');
    const skuTaken = await editor('POST', '/api/admin/products', {
      title: 'Dup SKU',
      variants: [{ sku: 'VALIDATED-DESK-S-OAK', price: money(100) }],
    });
    expect(skuTaken.status).toBe(409);
    expect(skuTaken.body).toMatchObject({ code: 'sku_taken', errors: [{ field: 'variants.0.sku' }] });
    const skuPatch = await editor(
      'PATCH',
      `/api/admin/products/${other.id}/variants/${other.variants[0]?.id}`,
      {
        version: 1,
        sku: 'VALIDATED-DESK-S-OAK',
      },
    );
    expect(skuPatch.status).toBe(409);
    expect(skuPatch.body.code).toBe('sku_taken');
    expect((await editor('GET', `/api/admin/products/${UNKNOWN_ID}`)).status).toBe(404);
    expect((await editor('PATCH', `/api/admin/products/${UNKNOWN_ID}`, { version: 1 })).status).toBe(404);
  });

  it('replaces the variant grid: kept ids stay, SKUs may swap, missing variants go', async () => {
    const desk = await createDesk('grid-desk');
    const [smallOak, smallWalnut, largeOak] = desk.variants;
    const response = await editor('PUT', `/api/admin/products/${desk.id}/variants`, {
      version: 1,
      options: [
        { name: 'Size', values: ['Small', 'Large'] },
        { name: 'Finish', values: ['Oak', 'Walnut', 'Ash'] },
      ],
      variants: [
        // The two Small SKUs swap.
        {
          id: smallOak?.id,
          sku: 'GRID-DESK-S-WAL',
          options: { Size: 'Small', Finish: 'Oak' },
          price: money(18_000),
        },
        {
          id: smallWalnut?.id,
          sku: 'GRID-DESK-S-OAK',
          options: { Size: 'Small', Finish: 'Walnut' },
          price: money(20_000),
        },
        {
          id: largeOak?.id,
          sku: 'GRID-DESK-L-OAK',
          options: { Size: 'Large', Finish: 'Oak' },
          price: money(29_900),
        },
        { sku: 'GRID-DESK-L-ASH', options: { Size: 'Large', Finish: 'Ash' }, price: money(33_000), stock: 5 },
      ],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const grid = adminProductSchema.parse(response.body);
    expect(grid.version).toBe(2);
    expect(grid.variants.map((v) => [v.id === smallOak?.id, v.sku])).toEqual([
      [true, 'GRID-DESK-S-WAL'],
      [false, 'GRID-DESK-S-OAK'],
      [false, 'GRID-DESK-L-OAK'],
      [false, 'GRID-DESK-L-ASH'],
    ]);
    expect(grid.variants[1]?.id).toBe(smallWalnut?.id);
    expect(grid.variants[2]?.id).toBe(largeOak?.id);
    expect(grid.variants[3]).toMatchObject({
      title: 'Large / Ash',
      stock: 5,
      options: { Size: 'Large', Finish: 'Ash' },
    });
    expect(grid.priceRange).toEqual({ min: money(18_000), max: money(33_000) });
    expect(grid.options[1]?.values.map((v) => v.value)).toEqual(['Oak', 'Walnut', 'Ash']);
    // The Large Walnut variant is gone, and so is its audit-visible state.
    const [{ n }] = (await api.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM product_variants WHERE product_id = $1',
      [desk.id],
    )) as [{ n: number }];
    expect(n).toBe(4);

    // A variant of another product cannot be adopted.
    const other = await createDesk('grid-other');
    const stolen = await editor('PUT', `/api/admin/products/${desk.id}/variants`, {
      version: 2,
      options: [],
      variants: [{ id: other.variants[0]?.id, sku: 'NEW', price: money(1) }],
    });
    expect(stolen.status).toBe(400);
    expect(fieldsOf(stolen.body)).toEqual(['variants.0.id']);

    // One cell of the grid.
    const cell = await editor('PATCH', `/api/admin/products/${desk.id}/variants/${largeOak?.id}`, {
      version: 2,
      stock: 7,
      compareAtPrice: money(39_900),
    });
    expect(cell.status, JSON.stringify(cell.body)).toBe(200);
    expect(cell.body).toMatchObject({ stock: 7, compareAtPrice: money(39_900), productVersion: 3 });
    expect(cell.headers.etag).toBe('"3"');
  });

  it('publish shows the product in the storefront (through the cache), unpublish and archive hide it', async () => {
    const desk = await createDesk('published-desk');
    // Warm the public caches first: the publish must invalidate them.
    expect((await publicGet('/api/products?limit=100')).statusCode).toBe(200);
    expect((await publicGet('/api/products/published-desk')).statusCode).toBe(404);

    const published = await editor('POST', `/api/admin/products/${desk.id}/publish`, { version: 1 });
    expect(published.status).toBe(200);
    const product = adminProductSchema.parse(published.body);
    expect(product).toMatchObject({ status: 'published', version: 2 });
    expect(Date.parse(product.publishedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    await eventually(async () => {
      const page = await publicGet('/api/products/published-desk');
      expect(page.statusCode).toBe(200);
      expect(productDetailSchema.parse(page.json()).variants).toHaveLength(4);
      const list = productListSchema.parse((await publicGet('/api/products?limit=100')).json());
      expect(list.items.map((p) => p.handle)).toContain('published-desk');
    });

    const again = await editor('POST', `/api/admin/products/${desk.id}/publish`, { version: 2 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invalid_transition');

    const unpublished = await editor('POST', `/api/admin/products/${desk.id}/unpublish`, undefined, {
      'if-match': '"2"',
    });
    expect(unpublished.status).toBe(200);
    expect(unpublished.body).toMatchObject({ status: 'draft', publishedAt: null, version: 3 });
    await eventually(async () =>
      expect((await publicGet('/api/products/published-desk')).statusCode).toBe(404),
    );

    const archived = await editor('POST', `/api/admin/products/${desk.id}/archive`, { version: 3 });
    expect(archived.body).toMatchObject({ status: 'archived', version: 4 });
    const archivedList = adminProductListSchema.parse(
      (await editor('GET', '/api/admin/products?status=archived')).body,
    );
    expect(archivedList.items.map((p) => p.handle)).toContain('published-desk');

    const empty = adminProductSchema.parse(
      (await editor('POST', '/api/admin/products', { title: 'No variants' })).body,
    );
    const refused = await editor('POST', `/api/admin/products/${empty.id}/publish`, { version: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('not_publishable');
  });

  it('bulk edits price and stock all-or-nothing, reporting every bad row', async () => {
    const desk = await createDesk('bulk-desk');
    const [v0, v1, v2] = desk.variants;
    const rejected = await editor('POST', '/api/admin/products/bulk', {
      rows: [
        { sku: 'BULK-DESK-S-OAK', price: money(10_000), stock: 50 },
        { sku: 'NO-SUCH-SKU', stock: 1 },
        { variantId: v1?.id, price: money(10_000, 'USD') },
        { variantId: v0?.id, stock: 4 },
        { sku: 'BULK-DESK-L-WAL', price: money(40_000) },
      ],
    });
    expect(rejected.status).toBe(400);
    expect(rejected.body.code).toBe('bulk_rejected');
    expect(fieldsOf(rejected.body)).toEqual([
      'rows.1.sku',
      'rows.2.price.currency',
      'rows.3.variantId',
      'rows.4.price.amount',
    ]);
    const unchanged = adminProductSchema.parse((await editor('GET', `/api/admin/products/${desk.id}`)).body);
    expect(unchanged.variants.map((v) => [v.price.amount, v.stock])).toEqual(
      desk.variants.map((v) => [v.price.amount, v.stock]),
    );
    expect(unchanged.version).toBe(1);

    const applied = await editor('POST', '/api/admin/products/bulk', {
      rows: [
        { sku: 'BULK-DESK-S-OAK', price: money(10_000), stock: 50 },
        { variantId: v2?.id, stock: 0 },
        { sku: 'BULK-DESK-L-WAL', price: money(30_000), compareAtPrice: null },
      ],
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(200);
    const result = bulkEditResultSchema.parse(applied.body);
    expect(result.updated).toBe(3);
    expect(result.rows.map((r) => [r.sku, r.price.amount, r.compareAtPrice, r.stock])).toEqual([
      ['BULK-DESK-S-OAK', 10_000, null, 50],
      ['BULK-DESK-L-OAK', 29_900, null, 0],
      ['BULK-DESK-L-WAL', 30_000, null, 2],
    ]);
    const after = adminProductSchema.parse((await editor('GET', `/api/admin/products/${desk.id}`)).body);
    expect(after.version).toBe(2);
    expect(after.priceRange?.min).toEqual(money(10_000));
    const audit = await auditFor(v0?.id ?? '');
    expect(audit.at(-1)).toMatchObject({
      action: 'variant.bulk_update',
      staff_id: editorId,
      before: { sku: 'BULK-DESK-S-OAK', price: money(19_900), stock: 3 },
      after: { sku: 'BULK-DESK-S-OAK', price: money(10_000), stock: 50 },
    });
  });

  it('audits every product write with the whole product before and after', async () => {
    const desk = await createDesk('audited-desk');
    await editor('PATCH', `/api/admin/products/${desk.id}`, {
      version: 1,
      title: 'Audited v2',
      seo: { title: 'SEO' },
    });
    await editor('POST', `/api/admin/products/${desk.id}/publish`, { version: 2 });
    await editor('DELETE', `/api/admin/products/${desk.id}`, undefined, { 'if-match': '"3"' });
    expect((await editor('GET', `/api/admin/products/${desk.id}`)).status).toBe(404);
    const entries = await auditFor(desk.id);
    expect(entries.map((e) => e.action)).toEqual([
      'product.create',
      'product.update',
      'product.publish',
      'product.delete',
    ]);
    const [create, update, publish, remove] = entries as [(typeof entries)[0], ...typeof entries];
    expect(create.before).toBeNull();
    expect(create.after).toMatchObject({ handle: 'audited-desk', version: 1, status: 'draft' });
    expect(update?.before).toMatchObject({ title: 'Desk audited-desk', seo: { title: null } });
    expect(update?.after).toMatchObject({ title: 'Audited v2', seo: { title: 'SEO' }, version: 2 });
    expect(publish?.after).toMatchObject({ status: 'published', version: 3 });
    expect(remove?.before).toMatchObject({ status: 'published', variants: expect.any(Array) });
    expect(remove?.after).toBeNull();
    expect(entries.every((e) => e.staff_id === editorId && e.request_id)).toBe(true);
  });

  it('keeps categories a tree: no cycles, no deleting a parent', async () => {
    const post = async (body: object) => {
      const response = await editor('POST', '/api/admin/categories', body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return adminCategorySchema.parse(response.body);
    };
    const furniture = await post({ name: 'Furniture' });
    const desks = await post({ name: 'Desks', parentId: furniture.id });
    const standing = await post({ name: 'Standing desks', parentId: desks.id });
    expect([furniture.handle, desks.handle, standing.handle]).toEqual([
      'furniture',
      'desks',
      'standing-desks',
    ]);

    const tree = adminCategoryTreeSchema.parse((await editor('GET', '/api/admin/categories')).body);
    const root = tree.items.find((c) => c.id === furniture.id);
    expect(root?.children[0]?.children[0]?.handle).toBe('standing-desks');

    for (const parentId of [furniture.id, standing.id]) {
      const cycle = await editor('PATCH', `/api/admin/categories/${furniture.id}`, { parentId });
      expect(cycle.status).toBe(400);
      expect(fieldsOf(cycle.body)).toEqual(['parentId']);
    }
    const unknownParent = await editor('POST', '/api/admin/categories', {
      name: 'Lost',
      parentId: UNKNOWN_ID,
    });
    expect(fieldsOf(unknownParent.body)).toEqual(['parentId']);
    const taken = await editor('POST', '/api/admin/categories', { name: 'Other', handle: 'desks' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('handle_taken');

    const blocked = await editor('DELETE', `/api/admin/categories/${desks.id}`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('category_has_children');

    // Move "Standing desks" to the root, then "Desks" is a leaf and can go.
    const moved = await editor('PATCH', `/api/admin/categories/${standing.id}`, {
      parentId: null,
      name: 'Standing',
    });
    expect(moved.body).toMatchObject({ parentId: null, name: 'Standing' });
    const desk = await createDesk('categorised-desk');
    const linked = await editor('PATCH', `/api/admin/products/${desk.id}`, {
      version: 1,
      categoryIds: [standing.id, desks.id],
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(linked.body.categories.map((c: { handle: string }) => c.handle)).toEqual([
      'standing-desks',
      'desks',
    ]);
    expect((await editor('DELETE', `/api/admin/categories/${desks.id}`)).status).toBe(204);
    const after = adminProductSchema.parse((await editor('GET', `/api/admin/products/${desk.id}`)).body);
    expect(after.categories.map((c) => c.handle)).toEqual(['standing-desks']);
    expect((await editor('GET', `/api/admin/categories/${desks.id}`)).status).toBe(404);
  });

  it('manages collections and their product order', async () => {
    const created = await editor('POST', '/api/admin/collections', { title: 'Home Office', featured: true });
    expect(created.status).toBe(201);
    const collection = adminCollectionDetailSchema.parse(created.body);
    expect(collection).toMatchObject({ handle: 'home-office', featured: true, products: [] });
    const one = await createDesk('collected-one');
    const two = await createDesk('collected-two');
    const set = await editor('PUT', `/api/admin/collections/${collection.id}/products`, {
      productIds: [two.id, one.id],
    });
    expect(set.status).toBe(200);
    expect(adminCollectionDetailSchema.parse(set.body).products.map((p) => p.handle)).toEqual([
      'collected-two',
      'collected-one',
    ]);
    const unknown = await editor('PUT', `/api/admin/collections/${collection.id}/products`, {
      productIds: [one.id, UNKNOWN_ID],
    });
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['productIds.1']);
    const repeated = await editor('PUT', `/api/admin/collections/${collection.id}/products`, {
      productIds: [one.id, one.id],
    });
    expect(fieldsOf(repeated.body)).toEqual(['productIds']);

    const patched = await editor('PATCH', `/api/admin/collections/${collection.id}`, {
      title: 'Office',
      featured: false,
    });
    expect(patched.body).toMatchObject({ title: 'Office', featured: false, productCount: 2 });
    const listed = adminProductListSchema.parse(
      (await editor('GET', `/api/admin/products?collectionId=${collection.id}`)).body,
    );
    expect(listed.items.map((p) => p.handle).sort()).toEqual(['collected-one', 'collected-two']);
    expect((await editor('DELETE', `/api/admin/collections/${collection.id}`)).status).toBe(204);
    expect((await editor('GET', `/api/admin/collections/${collection.id}`)).status).toBe(404);
  });

  it('orders media, sets alt text, and links variants to material variants of a model', async () => {
    const desk = await createDesk('media-desk');
    await editor('POST', `/api/admin/products/${desk.id}/publish`, { version: 1 });
    // Two processed media, as the worker leaves them (the pipeline has its own tests).
    const insert = async (kind: 'image' | 'model', position: number, stats: object | null) => {
      const [row] = await api.db.query<{ id: string }>(
        `INSERT INTO product_media (product_id, kind, status, position, storage_key, content_hash, mime_type,
           byte_size, width, height, model_stats)
         VALUES ($1, $2, 'ready', $3, $4, 'hash', $5, 100, 10, 10, $6) RETURNING id`,
        [
          desk.id,
          kind,
          position,
          `assets/${kind}-${position}`,
          kind === 'model' ? 'model/gltf-binary' : 'image/webp',
          stats,
        ],
      );
      return row?.id ?? '';
    };
    const image = await insert('image', 0, null);
    const model = await insert('model', 1, {
      triangles: 12,
      vertices: 8,
      meshes: 1,
      materials: 2,
      textures: 0,
      animations: 0,
      sizeMetres: [1, 1, 1],
      materialVariants: ['oak', 'walnut'],
    });

    const incomplete = await editor('PUT', `/api/admin/products/${desk.id}/media/order`, {
      mediaIds: [model],
    });
    expect(incomplete.status).toBe(400);
    expect(fieldsOf(incomplete.body)).toEqual(['mediaIds']);
    const ordered = await editor('PUT', `/api/admin/products/${desk.id}/media/order`, {
      mediaIds: [model, image],
    });
    expect(ordered.status).toBe(200);
    expect(adminMediaListSchema.parse(ordered.body).items.map((m) => m.id)).toEqual([model, image]);

    const alt = await editor('PATCH', `/api/admin/media/${image}`, { alt: 'The desk from the front' });
    expect(alt.status).toBe(200);
    expect(alt.body.alt).toBe('The desk from the front');

    const [oak, walnut] = [desk.variants[0]?.id ?? '', desk.variants[1]?.id ?? ''];
    const wrongName = await editor('PUT', `/api/admin/media/${model}/material-variants`, {
      links: [{ variantId: oak, materialVariant: 'cherry' }],
    });
    expect(wrongName.status).toBe(400);
    expect(fieldsOf(wrongName.body)).toEqual(['links.0.materialVariant']);
    const notAModel = await editor('PUT', `/api/admin/media/${image}/material-variants`, { links: [] });
    expect(notAModel.status).toBe(409);
    const linked = await editor('PUT', `/api/admin/media/${model}/material-variants`, {
      links: [
        { variantId: oak, materialVariant: 'oak' },
        { variantId: walnut, materialVariant: 'walnut' },
      ],
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(200);
    expect(materialVariantMappingSchema.parse(linked.body)).toEqual({
      mediaId: model,
      available: ['oak', 'walnut'],
      links: [
        { variantId: oak, materialVariant: 'oak' },
        { variantId: walnut, materialVariant: 'walnut' },
      ],
    });

    // The storefront's product page carries the mapping for the 3D viewer.
    await eventually(async () => {
      const page = productDetailSchema.parse((await publicGet('/api/products/media-desk')).json());
      expect(page.models[0]?.variantMaterials).toEqual({ [oak]: 'oak', [walnut]: 'walnut' });
      expect(page.images[0]?.alt).toBe('The desk from the front');
    });
    const audit = await auditFor(model);
    expect(audit.at(-1)).toMatchObject({ action: 'media.material_variants_set', before: [] });
  });

  it('tells the storefront what changed, through the job queue, even when it was down', async () => {
    storefront.calls.length = 0;
    await sendRevalidations(); // whatever earlier tests queued
    storefront.calls.length = 0;

    const desk = await createDesk('revalidated-desk');
    await sendRevalidations();
    expect(storefront.calls).toEqual([]); // a draft is not in the storefront

    await editor('POST', `/api/admin/products/${desk.id}/publish`, { version: 1 });
    expect(await sendRevalidations()).toEqual({ succeeded: 1, failed: 0 });
    expect(storefront.calls).toHaveLength(1);
    expect(storefront.calls[0]?.body).toEqual({ tags: ['product:revalidated-desk', 'products'] });
    expect(storefront.calls[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);

    // Down: the job waits and retries; nothing is lost.
    storefront.state.down = true;
    await editor('PATCH', `/api/admin/products/${desk.id}`, { version: 2, handle: 'renamed-desk' });
    expect(await sendRevalidations()).toEqual({ succeeded: 0, failed: 1 });
    const [job] = await api.db.query<{ state: string; attempts: number }>(
      `SELECT state, attempts FROM jobs WHERE queue = $1 ORDER BY id DESC LIMIT 1`,
      [REVALIDATE_QUEUE],
    );
    expect(job).toMatchObject({ state: 'queued', attempts: 1 });
    storefront.state.down = false;
    await api.db.query(`UPDATE jobs SET run_at = now() WHERE queue = $1 AND state = 'queued'`, [
      REVALIDATE_QUEUE,
    ]);
    expect(await sendRevalidations()).toEqual({ succeeded: 1, failed: 0 });
    expect(storefront.calls.at(-1)?.body).toEqual({
      tags: ['product:revalidated-desk', 'product:renamed-desk', 'products'],
    });

    // A rolled-back write queues nothing.
    const before = storefront.calls.length;
    const stale = await editor('PATCH', `/api/admin/products/${desk.id}`, { version: 1, title: 'x' });
    expect(stale.status).toBe(409);
    await sendRevalidations();
    expect(storefront.calls).toHaveLength(before);
  });
});
