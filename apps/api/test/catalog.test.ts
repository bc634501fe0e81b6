import {
  categoryTreeSchema,
  collectionDetailSchema,
  collectionListSchema,
  type ProductSummary,
  problemSchema,
  productDetailSchema,
  productListSchema,
} from '@e3d/contracts';
import { startTestApi, type TestApi } from '@e3d/testing/api';
import { BACKENDS } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.each(BACKENDS)('catalog API on %s', (backend) => {
  let api: TestApi;
  const get = (url: string) => api.app.inject({ method: 'GET', url });
  const list = async (query = '') => {
    const response = await get(`/api/products${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return productListSchema.parse(response.json());
  };
  const handles = (items: ProductSummary[]) => items.map((p) => p.handle);
  /** Follows nextCursor to the end. */
  const walk = async (query: string, limit: number) => {
    const seen: ProductSummary[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(
        `?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return seen;
  };
  /** Handles of published products in a category subtree, read straight from the tables. */
  const publishedIn = async (categoryHandle: string) => {
    const found = await api.db.query<{ handle: string }>(
      `WITH RECURSIVE sub AS (
         SELECT id FROM categories WHERE handle = $1
         UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id)
       SELECT DISTINCT p.handle FROM products p JOIN product_categories pc ON pc.product_id = p.id
       WHERE pc.category_id IN (SELECT id FROM sub) AND p.status = 'published'`,
      [categoryHandle],
    );
    return found.map((r) => r.handle).sort();
  };

  beforeAll(async () => {
    api = await startTestApi(backend);
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('GET /api/products', () => {
    it('lists only published products, newest first, with card fields', async () => {
      const { items, nextCursor } = await list('?limit=100');
      const [{ n: published }] = (await api.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM products WHERE status = 'published'",
      )) as [{ n: number }];
      expect(items).toHaveLength(published);
      expect(published).toBeGreaterThanOrEqual(8);
      expect(nextCursor).toBeNull();
      expect(handles(items)).not.toContain('prototype-desk-lamp');
      expect(handles(items)).not.toContain('retired-wall-clock');
      const helmet = items.find((p) => p.handle === 'sci-fi-helmet-replica');
      expect(helmet?.has3d).toBe(true);
      expect(helmet?.thumbnail?.url).toMatch(
        /^http:\/\/localhost:\d+\/assets\/img\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/,
      );
      for (const item of items) {
        expect(item.priceRange?.min.amount).toBeLessThanOrEqual(item.priceRange?.max.amount ?? -1);
        expect(item.priceRange?.min.currency).toMatch(/^[A-Z]{3}$/);
      }
    });

    it.each(['newest', 'price-asc', 'price-desc', 'title'])(
      'pages through every product exactly once with sort=%s',
      async (sort) => {
        const all = await list(`?sort=${sort}&limit=100`);
        const paged = await walk(`sort=${sort}`, 3);
        expect(handles(paged)).toEqual(handles(all.items));
        expect(new Set(handles(paged)).size).toBe(paged.length);
      },
    );

    it('orders by price and by title', async () => {
      const asc = (await list('?sort=price-asc&limit=100')).items.map((p) => p.priceRange?.min.amount ?? 0);
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      const desc = (await list('?sort=price-desc&limit=100')).items.map((p) => p.priceRange?.min.amount ?? 0);
      expect(desc).toEqual([...desc].sort((a, b) => b - a));
      const byTitle = handles((await list('?sort=title&limit=100')).items);
      const fromDb = await api.db.query<{ handle: string }>(
        "SELECT handle FROM products WHERE status = 'published' ORDER BY title, id",
      );
      expect(byTitle).toEqual(fromDb.map((r) => r.handle));
    });

    it('filters by category including its descendants', async () => {
      const tree = categoryTreeSchema.parse((await get('/api/categories')).json());
      const parent = tree.items.find((c) => c.children.length > 0 && c.productCount > 0);
      expect(parent).toBeDefined();
      const inParent = handles((await list(`?category=${parent?.handle}&limit=100`)).items).sort();
      expect(inParent).toEqual(await publishedIn(parent?.handle ?? ''));
      for (const child of parent?.children ?? []) {
        const inChild = handles((await list(`?category=${child.handle}&limit=100`)).items);
        for (const handle of inChild) expect(inParent).toContain(handle);
      }
      expect(inParent.length).toBeGreaterThan(0);
    });

    it('filters by collection', async () => {
      const featured = collectionDetailSchema.parse((await get('/api/collections/featured')).json());
      const filtered = handles((await list('?collection=featured&limit=100')).items).sort();
      expect(filtered).toEqual(handles(featured.products).sort());
      expect(filtered.length).toBeGreaterThan(0);
    });

    it('filters by price range on any variant price (minor units)', async () => {
      const { items } = await list('?minPrice=3000&maxPrice=6000&limit=100');
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        const detail = productDetailSchema.parse((await get(`/api/products/${item.handle}`)).json());
        expect(detail.variants.some((v) => v.price.amount >= 3000 && v.price.amount <= 6000)).toBe(true);
      }
      const all = await list('?limit=100');
      const outside = all.items.filter((p) => !handles(items).includes(p.handle));
      for (const item of outside) {
        const detail = productDetailSchema.parse((await get(`/api/products/${item.handle}`)).json());
        expect(detail.variants.some((v) => v.price.amount >= 3000 && v.price.amount <= 6000)).toBe(false);
      }
    });

    it('filters by availability and by 3D model', async () => {
      const inStock = (await list('?inStock=true&limit=100')).items;
      const soldOut = (await list('?inStock=false&limit=100')).items;
      expect(inStock.every((p) => p.available)).toBe(true);
      expect(soldOut.length).toBeGreaterThan(0);
      expect(soldOut.every((p) => !p.available)).toBe(true);
      const with3d = (await list('?has3d=true&limit=100')).items;
      expect(with3d.length).toBeGreaterThanOrEqual(3);
      expect(with3d.every((p) => p.has3d)).toBe(true);
      const without3d = (await list('?has3d=false&limit=100')).items;
      expect(without3d.every((p) => !p.has3d)).toBe(true);
      expect(with3d.length + without3d.length).toBe((await list('?limit=100')).items.length);
    });

    it('searches full text, ranks the best match first and tolerates a typo', async () => {
      expect(handles((await list('?q=helmet')).items)[0]).toBe('sci-fi-helmet-replica');
      expect(handles((await list('?q=helmt')).items)).toContain('sci-fi-helmet-replica');
      expect((await list('?q=xyzzyplughqwv')).items).toEqual([]);
      const paged = await walk('q=lamp', 1);
      expect(handles(paged)).toEqual(handles((await list('?q=lamp&limit=100')).items));
    });

    it('combines filters with AND', async () => {
      const items = (await list('?has3d=true&inStock=true&limit=100')).items;
      expect(items.every((p) => p.has3d && p.available)).toBe(true);
    });
  });

  describe('GET /api/products/{handle}', () => {
    it('returns options, variants, media with ready URLs and the breadcrumb', async () => {
      const response = await get('/api/products/sci-fi-helmet-replica');
      expect(response.statusCode).toBe(200);
      const product = productDetailSchema.parse(response.json());
      expect(product.variants.length).toBeGreaterThan(0);
      for (const variant of product.variants) {
        for (const option of product.options) expect(option.values).toContain(variant.options[option.name]);
      }
      expect(product.models).toHaveLength(1);
      const [model] = product.models;
      expect(model?.contentType).toBe('model/gltf-binary');
      expect(model?.attribution).toMatch(/CC BY 4\.0/);
      expect(model?.stats?.triangles).toBeGreaterThan(1000);
      expect(product.images.length).toBeGreaterThan(0);
      expect(product.breadcrumb.length).toBeGreaterThanOrEqual(1);

      // The URLs work, with the headers CloudFront would send.
      const asset = await get(new URL(model?.url ?? '').pathname);
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toBe('model/gltf-binary');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.rawPayload.byteLength).toBe(model?.byteSize);
      expect(asset.rawPayload.subarray(0, 4).toString()).toBe('glTF');
      const image = await get(new URL(product.images[0]?.url ?? '').pathname);
      expect(image.headers['content-type']).toBe('image/webp');
      const revalidated = await api.app.inject({
        method: 'GET',
        url: new URL(product.images[0]?.url ?? '').pathname,
        headers: { 'if-none-match': String(image.headers.etag) },
      });
      expect(revalidated.statusCode).toBe(304);

      // Every image offers renditions for srcset: widths in AVIF and WebP, each one served.
      const sources = product.images[0]?.sources ?? [];
      expect(new Set(sources.map((x) => x.type))).toEqual(new Set(['image/avif', 'image/webp']));
      expect(sources.map((x) => x.width)).toEqual([...sources.map((x) => x.width)].sort((a, b) => a - b));
      const avif = sources.find((x) => x.type === 'image/avif');
      const served = await get(new URL(avif?.url ?? '').pathname);
      expect(served.headers['content-type']).toBe('image/avif');
    });

    it('lists the breadcrumb root first, ending at the primary category', async () => {
      const { items } = await list('?limit=100');
      const tree = categoryTreeSchema.parse((await get('/api/categories')).json()).items;
      const parentOf = new Map<string, string | null>();
      const visit = (nodes: typeof tree, parent: string | null) => {
        for (const node of nodes) {
          parentOf.set(node.handle, parent);
          visit(node.children, node.handle);
        }
      };
      visit(tree, null);
      for (const item of items) {
        const { breadcrumb } = productDetailSchema.parse((await get(`/api/products/${item.handle}`)).json());
        expect(breadcrumb.length).toBeGreaterThan(0);
        expect(parentOf.get(breadcrumb[0]?.handle ?? '')).toBeNull();
        for (let i = 1; i < breadcrumb.length; i++) {
          expect(parentOf.get(breadcrumb[i]?.handle ?? '')).toBe(breadcrumb[i - 1]?.handle);
        }
      }
    });

    it('hides drafts and archived products (404)', async () => {
      for (const handle of ['prototype-desk-lamp', 'retired-wall-clock', 'no-such-product']) {
        const response = await get(`/api/products/${handle}`);
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(problemSchema.parse(response.json()).code).toBe('product_not_found');
      }
    });
  });

  describe('categories and collections', () => {
    it('returns the tree; a parent counts its descendants’ products', async () => {
      const { items } = categoryTreeSchema.parse((await get('/api/categories')).json());
      expect(items.length).toBeGreaterThanOrEqual(3);
      const check = async (node: (typeof items)[number]) => {
        expect(node.productCount).toBe((await publishedIn(node.handle)).length);
        for (const child of node.children) {
          expect(node.productCount).toBeGreaterThanOrEqual(child.productCount);
          await check(child);
        }
      };
      for (const node of items) await check(node);
    });

    it('lists collections, featured first, and shows one with its products', async () => {
      const { items } = collectionListSchema.parse((await get('/api/collections')).json());
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(items[0]?.featured).toBe(true);
      const detail = collectionDetailSchema.parse((await get(`/api/collections/${items[0]?.handle}`)).json());
      expect(detail.products).toHaveLength(detail.productCount);
      const missing = await get('/api/collections/no-such-collection');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('collection_not_found');
    });
  });

  describe('bad input', () => {
    it.each([
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?minPrice=-1', 'minPrice'],
      ['?minPrice=9.99', 'minPrice'],
      ['?minPrice=5000&maxPrice=100', 'minPrice'],
      ['?sort=cheapest', 'sort'],
      ['?sort=relevance', 'sort'],
      ['?inStock=yes', 'inStock'],
      ['?has3d=1', 'has3d'],
      ['?category=Not%20A%20Handle', 'category'],
      ['?cursor=not-a-cursor', 'cursor'],
    ])('GET /api/products%s is 400 naming %s', async (query, field) => {
      const response = await get(`/api/products${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const problem = problemSchema.parse(response.json());
      expect(problem.code).toBe('invalid_parameter');
      expect(problem.errors?.map((e) => e.field)).toContain(field);
      expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    });

    it('refuses a cursor issued for another sort order', async () => {
      const page = await list('?sort=title&limit=1');
      const response = await get(`/api/products?sort=price-asc&cursor=${page.nextCursor}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().errors[0].field).toBe('cursor');
    });

    it('answers unknown category and collection filters with 404', async () => {
      expect((await get('/api/products?category=no-such-category')).json().code).toBe('category_not_found');
      expect((await get('/api/products?collection=no-such-collection')).json().code).toBe(
        'collection_not_found',
      );
    });

    it('answers a bad handle with 400 naming it, and an unknown route with 404', async () => {
      const bad = await get('/api/products/Not_A_Handle');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].field).toBe('handle');
      const unknown = await get('/api/nothing-here');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('route_not_found');
    });

    it('answers malformed JSON with 400 malformed_json', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/api/products',
        headers: { 'content-type': 'application/json' },
        payload: '{"title": ',
      });
      // No write route exists yet at this path: the route check comes first.
      expect([400, 404]).toContain(response.statusCode);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('operations', () => {
    it('echoes x-request-id, or makes one up', async () => {
      const given = await api.app.inject({
        method: 'GET',
        url: '/api/healthz',
        headers: { 'x-request-id': 'req-abc.123' },
      });
      expect(given.headers['x-request-id']).toBe('req-abc.123');
      const made = await get('/api/healthz');
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const problem = await get('/api/products/no-such-product');
      expect(problem.json().requestId).toBe(problem.headers['x-request-id']);
    });

    it('GET /api/healthz is 200 {"status":"ok"} and /api/readyz checks dependencies', async () => {
      const live = await get('/api/healthz');
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'ok' });
      const ready = await get('/api/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: 'ok',
        checks: { database: 'ok', redis: backend === 'embedded' ? 'not configured' : 'ok' },
      });
    });

    it('serves an OpenAPI 3.1 document generated from the route schemas, and docs', async () => {
      const doc = (await get('/api/openapi.json')).json();
      expect(doc.openapi).toBe('3.1.0');
      for (const path of [
        '/api/products',
        '/api/products/{handle}',
        '/api/categories',
        '/api/collections',
        '/api/collections/{handle}',
        '/api/healthz',
        '/api/readyz',
      ]) {
        expect(doc.paths[path], path).toBeDefined();
      }
      const params = doc.paths['/api/products'].get.parameters.map((p: { name: string }) => p.name);
      expect(params).toEqual(
        expect.arrayContaining([
          'limit',
          'cursor',
          'category',
          'collection',
          'minPrice',
          'maxPrice',
          'inStock',
          'has3d',
          'q',
          'sort',
        ]),
      );
      expect(doc.components.schemas.Problem).toBeDefined();
      expect(doc.components.schemas.ProductDetail).toBeDefined();
      const docs = await get('/api/docs/');
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['content-type']).toMatch(/text\/html/);
    });

    it('exposes Prometheus metrics per route and status, pool, cache and process', async () => {
      await get('/api/products/sci-fi-helmet-replica');
      await get('/api/products/no-such-product');
      const text = (await get('/metrics')).body;
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/products\/:handle",status="200"\} \d+/,
      );
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/api\/products\/:handle",status="404"\} \d+/,
      );
      expect(text).toMatch(
        /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/api\/products\/:handle"/,
      );
      expect(text).toMatch(/e3d_db_pool_connections \d+/);
      expect(text).toMatch(/e3d_cache_lookups_total\{cache="(memory|redis)",result="(hit|miss)"\} \d+/);
      expect(text).toMatch(/process_cpu_user_seconds_total/);
    });
  });
});
