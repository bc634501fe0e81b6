import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrate, openDatabase } from '@e3d/db';
import { MEDIA_QUEUE, mediaPipeline, processPendingMedia } from '@e3d/media';
import { createLocalStore, type ObjectStore, sha256 } from '@e3d/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeedDemoCatalogResult, seedDemoCatalog, validateDemoCatalog } from '../src/index.ts';
import { productCardSvg, renderProductCard } from '../src/seed/art.ts';
import { DEMO_PRODUCTS } from '../src/seed/demo-catalog.ts';

const count = async (db: Database, text: string, params?: unknown[]) =>
  Number((await db.query<{ n: number | string }>(text, params))[0]?.n);

describe('the demo catalog data', () => {
  it('is consistent', () => {
    expect(validateDemoCatalog()).toEqual([]);
  });

  it('renders product cards deterministically, as 1200x1200 WebP with no text', async () => {
    const art = DEMO_PRODUCTS[0]?.images[0]?.art;
    if (!art) throw new Error('no art');
    expect(productCardSvg(art)).not.toMatch(/<text/);
    const [a, b] = await Promise.all([renderProductCard(art), renderProductCard(art)]);
    expect(sha256(a.bytes)).toBe(sha256(b.bytes));
    const meta = await sharp(a.bytes).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 1200, height: 1200 });
  });
});

describe('seedDemoCatalog on an empty PGlite database', () => {
  let db: Database;
  let store: ObjectStore;
  let root: string;
  let first: SeedDemoCatalogResult;
  let staged: { uploaded: number; jobs: number; media: number };
  let drained: { succeeded: number; failed: number };
  const lines: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'e3d-seed-'));
    db = await openDatabase({});
    await migrate(db);
    store = createLocalStore({ root, publicBaseUrl: 'http://localhost:4000' });
    first = await seedDemoCatalog(db, store, { log: (line) => lines.push(line) });
    staged = {
      uploaded: await count(
        db,
        "SELECT count(*) AS n FROM product_media WHERE status = 'uploaded' AND upload_key IS NOT NULL",
      ),
      jobs: await count(
        db,
        `SELECT count(*) AS n FROM jobs WHERE queue = '${MEDIA_QUEUE}' AND state = 'queued'`,
      ),
      media: await count(db, 'SELECT count(*) AS n FROM product_media'),
    };
    drained = await processPendingMedia(mediaPipeline({ db, store }));
  }, 120_000);

  it('stages every file as an upload with one processing job, as a staff upload would be', () => {
    expect(staged.uploaded).toBe(staged.media);
    expect(staged.jobs).toBe(staged.media);
    expect(drained).toEqual({ succeeded: staged.media, failed: 0 });
  });

  it('the pipeline made every media ready and consumed the staged uploads', async () => {
    expect(
      await count(
        db,
        "SELECT count(*) AS n FROM product_media WHERE status <> 'ready' OR upload_key IS NOT NULL",
      ),
    ).toBe(0);
    expect(await count(db, "SELECT count(*) AS n FROM jobs WHERE state <> 'succeeded'")).toBe(0);
  });

  afterAll(async () => {
    await db?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('reports what it inserted, matching the rows', async () => {
    expect(first.seeded).toBe(true);
    expect(first.products).toBe(await count(db, 'SELECT count(*) AS n FROM products'));
    expect(first.variants).toBe(await count(db, 'SELECT count(*) AS n FROM product_variants'));
    expect(first.categories).toBe(await count(db, 'SELECT count(*) AS n FROM categories'));
    expect(first.collections).toBe(await count(db, 'SELECT count(*) AS n FROM collections'));
    expect(first.media).toBe(await count(db, 'SELECT count(*) AS n FROM product_media'));
    expect(first.products).toBeGreaterThanOrEqual(10);
    expect(lines.some((l) => l.includes('inserted'))).toBe(true);
  });

  it('has published, draft and archived products', async () => {
    expect(
      await count(db, `SELECT count(*) AS n FROM products WHERE status = 'published'`),
    ).toBeGreaterThanOrEqual(8);
    const others = await db.query<{ handle: string; status: string; published_at: Date | null }>(
      `SELECT handle, status, published_at FROM products WHERE status <> 'published' ORDER BY handle`,
    );
    expect(others.map((r) => [r.handle, r.status])).toEqual([
      ['prototype-desk-lamp', 'draft'],
      ['retired-wall-clock', 'archived'],
    ]);
    expect(others.find((r) => r.status === 'draft')?.published_at).toBeNull();
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM products WHERE status = 'published' AND published_at IS NULL`,
      ),
    ).toBe(0);
  });

  it('builds the category tree, with published products in at least three categories', async () => {
    const tree = await db.query<{ handle: string; parent: string | null }>(
      `SELECT c.handle, p.handle AS parent FROM categories c LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.handle`,
    );
    expect(tree).toEqual(
      expect.arrayContaining([
        { handle: 'home-decor', parent: null },
        { handle: 'lighting', parent: 'home-decor' },
        { handle: 'desk', parent: 'home-decor' },
        { handle: 'collectibles', parent: null },
        { handle: 'replicas', parent: 'collectibles' },
        { handle: 'toys-games', parent: null },
      ]),
    );
    expect(
      await count(
        db,
        `SELECT count(DISTINCT pc.category_id) AS n FROM product_categories pc
         JOIN products p ON p.id = pc.product_id WHERE p.status = 'published'`,
      ),
    ).toBeGreaterThanOrEqual(3);
    // every product has exactly one primary category, and one or two in all
    const perProduct = await db.query<{ n: number; primaries: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE position = 0)::int AS primaries
       FROM product_categories GROUP BY product_id`,
    );
    expect(perProduct).toHaveLength(first.products);
    for (const row of perProduct) {
      expect(row.primaries).toBe(1);
      expect(row.n).toBeGreaterThanOrEqual(1);
      expect(row.n).toBeLessThanOrEqual(2);
    }
  });

  it('fills collections in order, with one featured', async () => {
    const rows = await db.query<{ handle: string; featured: boolean; products: string[] }>(
      `SELECT c.handle, c.featured, array_agg(p.handle ORDER BY cp.position) AS products
       FROM collections c JOIN collection_products cp ON cp.collection_id = c.id JOIN products p ON p.id = cp.product_id
       GROUP BY c.id ORDER BY c.position`,
    );
    expect(rows.map((r) => r.handle)).toEqual(['featured', 'new-arrivals', 'gifts-under-50']);
    expect(rows.map((r) => r.featured)).toEqual([true, false, false]);
    for (const r of rows) expect(r.products.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]?.products[0]).toBe('sci-fi-helmet-replica');
    // gifts under $50 are all under $50
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM collection_products cp JOIN collections c ON c.id = cp.collection_id
         JOIN products p ON p.id = cp.product_id WHERE c.handle = 'gifts-under-50' AND p.price_min >= 5000`,
      ),
    ).toBe(0);
  });

  it('has options and variants, including a 2 x 2 product', async () => {
    const orb = await db.query<{ title: string; sku: string; values: string[] }>(
      `SELECT v.title, v.sku, array_agg(ov.value ORDER BY o.position) AS values
       FROM product_variants v JOIN products p ON p.id = v.product_id
       JOIN variant_option_values vov ON vov.variant_id = v.id
       JOIN product_option_values ov ON ov.id = vov.option_value_id
       JOIN product_options o ON o.id = ov.option_id
       WHERE p.handle = 'orb-pendant-lamp' GROUP BY v.id ORDER BY v.position`,
    );
    expect(orb).toEqual([
      { title: 'Opal / 30 cm', sku: 'ORB-OPL-30', values: ['Opal', '30 cm'] },
      { title: 'Opal / 45 cm', sku: 'ORB-OPL-45', values: ['Opal', '45 cm'] },
      { title: 'Smoked / 30 cm', sku: 'ORB-SMK-30', values: ['Smoked', '30 cm'] },
      { title: 'Smoked / 45 cm', sku: 'ORB-SMK-45', values: ['Smoked', '45 cm'] },
    ]);
    const helmet = await db.query<{ sku: string; price_amount: number; compare_at_amount: number | null }>(
      `SELECT sku, price_amount, compare_at_amount FROM product_variants v JOIN products p ON p.id = v.product_id
       WHERE p.handle = 'sci-fi-helmet-replica' ORDER BY v.position`,
    );
    expect(helmet[0]).toEqual({ sku: 'HELM-WTH', price_amount: 18900, compare_at_amount: 21900 });
    expect(
      await count(db, 'SELECT count(*) AS n FROM product_variants WHERE compare_at_amount IS NOT NULL'),
    ).toBeGreaterThan(0);
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM product_variants WHERE weight_grams IS NULL OR length_mm IS NULL OR currency <> 'USD'`,
      ),
    ).toBe(0);
  });

  it('keeps the rollups (price_min, in_stock, has_3d) true through the triggers', async () => {
    const rows = await db.query<{
      handle: string;
      price_min: number;
      price_max: number;
      in_stock: boolean;
      has_3d: boolean;
    }>(`SELECT handle, price_min, price_max, in_stock, has_3d FROM products ORDER BY handle`);
    const by = Object.fromEntries(rows.map((r) => [r.handle, r]));
    expect(by['orb-pendant-lamp']).toMatchObject({
      price_min: 14900,
      price_max: 20900,
      in_stock: true,
      has_3d: true,
    });
    expect(by['retro-rocket-model-kit']).toMatchObject({ in_stock: false, has_3d: false });
    expect(by['sci-fi-helmet-replica']).toMatchObject({ has_3d: true, price_min: 18900 });
    expect(await count(db, 'SELECT count(*) AS n FROM products WHERE has_3d')).toBeGreaterThanOrEqual(3);
    // at least one published product is fully out of stock, and at least one variant elsewhere is
    expect(
      await count(db, `SELECT count(*) AS n FROM products WHERE status = 'published' AND NOT in_stock`),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.in_stock AND v.stock_on_hand = 0`,
      ),
    ).toBeGreaterThanOrEqual(1);
  });

  it('gives every published product images, some linked to a variant', async () => {
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM products p WHERE p.status = 'published'
         AND NOT EXISTS (SELECT 1 FROM product_media m WHERE m.product_id = p.id AND m.kind = 'image')`,
      ),
    ).toBe(0);
    const linked = await db.query<{ sku: string; alt: string }>(
      `SELECT v.sku, m.alt FROM product_media m JOIN product_variants v ON v.id = m.variant_id
       JOIN products p ON p.id = m.product_id WHERE p.handle = 'twin-cube-bookends' ORDER BY m.position`,
    );
    expect(linked.map((r) => r.sku)).toEqual(['CUBE-TER', 'CUBE-SAG', 'CUBE-CHA']);
    expect(linked[1]?.alt).toMatch(/sage/i);
    expect(
      await count(
        db,
        `SELECT count(*) AS n FROM product_media WHERE kind = 'image'
         AND (width <> 1200 OR height <> 1200 OR mime_type <> 'image/webp' OR alt = '')`,
      ),
    ).toBe(0);
  });

  it('attaches the four 3D models with their stats and credits', async () => {
    const models = await db.query<{
      handle: string;
      storage_key: string;
      mime_type: string;
      model_stats: {
        triangles: number;
        meshes: number;
        textures: number;
        sizeMetres: number[];
        materialVariants: string[];
      };
      attribution: string;
      position: number;
      images: number;
    }>(
      `SELECT p.handle, m.storage_key, m.mime_type, m.model_stats, m.attribution, m.position,
         (SELECT count(*)::int FROM product_media i WHERE i.product_id = p.id AND i.kind = 'image') AS images
       FROM product_media m JOIN products p ON p.id = m.product_id WHERE m.kind = 'model' ORDER BY p.handle`,
    );
    expect(models.map((m) => m.handle)).toEqual([
      'geometric-desk-set',
      'orb-pendant-lamp',
      'sci-fi-helmet-replica',
      'twin-cube-bookends',
    ]);
    for (const m of models) {
      expect(m.mime_type).toBe('model/gltf-binary');
      expect(m.storage_key).toMatch(/^assets\/models\/[0-9a-f]{2}\/[0-9a-f]{64}\.glb$/);
      expect(m.attribution).toBeTruthy();
      expect(m.position).toBe(m.images); // after the images
      expect(m.model_stats.triangles).toBeGreaterThan(0);
      expect(m.model_stats.materialVariants).toEqual([]);
    }
    const helmet = models.find((m) => m.handle === 'sci-fi-helmet-replica');
    expect(helmet?.attribution).toBe('"Battle Damaged Sci-fi Helmet - PBR" by theblueflame, CC BY 4.0');
    expect(helmet?.model_stats).toMatchObject({ triangles: 15452, meshes: 1, textures: 5 });
    const [x, y, z] = helmet?.model_stats.sizeMetres ?? [];
    expect([x, y, z].map((v) => Math.round((v ?? 0) * 100) / 100)).toEqual([1.89, 1.8, 2]);
    expect(models.find((m) => m.handle === 'orb-pendant-lamp')?.model_stats.triangles).toBe(30720);
  });

  it('stored every object it references, with the right type and size', async () => {
    const media = await db.query<{
      storage_key: string;
      content_hash: string;
      mime_type: string;
      byte_size: number;
    }>('SELECT storage_key, content_hash, mime_type, byte_size FROM product_media');
    for (const m of media) {
      const head = await store.head(m.storage_key);
      expect(head, m.storage_key).toMatchObject({
        contentType: m.mime_type,
        byteSize: m.byte_size,
        etag: `"${m.content_hash}"`,
        cacheControl: 'public, max-age=31536000, immutable',
      });
      expect(m.storage_key).toContain(m.content_hash);
    }
    const image = media.find((m) => m.mime_type === 'image/webp');
    const object = image && (await store.get(image.storage_key));
    if (!object) throw new Error('image not stored');
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    expect(await sharp(Buffer.concat(chunks)).metadata()).toMatchObject({
      format: 'webp',
      width: 1200,
      height: 1200,
    });
  });

  it('does nothing the second time', async () => {
    const before = await count(db, 'SELECT count(*) AS n FROM product_media');
    const again = await seedDemoCatalog(db, store);
    expect(again).toMatchObject({ seeded: false, products: 0 });
    expect(await count(db, 'SELECT count(*) AS n FROM product_media')).toBe(before);
  });

  it('replaces the demo rows with force, leaving other products alone', async () => {
    await db.query(`INSERT INTO products (handle, title, status) VALUES ('my-own-product', 'Mine', 'draft')`);
    const oldHelmet = await db.query<{ id: string }>(
      `SELECT id FROM products WHERE handle = 'sci-fi-helmet-replica'`,
    );
    const again = await seedDemoCatalog(db, store, { force: true });
    expect(again).toEqual(first);
    expect(await count(db, 'SELECT count(*) AS n FROM products')).toBe(first.products + 1);
    expect(await count(db, 'SELECT count(*) AS n FROM product_media')).toBe(first.media);
    expect(await count(db, 'SELECT count(*) AS n FROM categories')).toBe(first.categories);
    const newHelmet = await db.query<{ id: string }>(
      `SELECT id FROM products WHERE handle = 'sci-fi-helmet-replica'`,
    );
    expect(newHelmet[0]?.id).not.toBe(oldHelmet[0]?.id);
  }, 60_000);
});
