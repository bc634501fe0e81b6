import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Database, openDatabase } from '@e3d/db';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { e3d, initialiseDatabase, root, tempDirs } from './run-cli.ts';

const MODELS = path.join(root, 'packages/catalog/seed-assets/models');

const tempDir = tempDirs();

const png = (file: string, r: number) =>
  sharp({ create: { width: 48, height: 32, channels: 3, background: { r, g: 120, b: 60 } } })
    .png()
    .toFile(file);

/** Reads the embedded database the CLI wrote, after the CLI process has exited. */
async function withDatabase<T>(dataDir: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('pnpm e3d import FOLDER', () => {
  const dataDir = tempDir('e3d-import-data-');
  let source: string;
  let first: Awaited<ReturnType<typeof e3d>>;

  beforeAll(async () => {
    await initialiseDatabase(dataDir);
    source = tempDir('e3d-import-src-');
    const chair = path.join(source, 'oak-chair');
    const lamp = path.join(source, 'helmet-lamp');
    mkdirSync(chair);
    mkdirSync(lamp);
    await png(path.join(chair, '1-front.png'), 200);
    await png(path.join(chair, '2-side.png'), 30);
    copyFileSync(path.join(MODELS, 'TwoCubes.glb'), path.join(chair, 'chair.glb'));
    await png(path.join(lamp, 'lamp.png'), 90);
    copyFileSync(path.join(MODELS, 'ShapeCollection.glb'), path.join(lamp, 'lamp.glb'));
    writeFileSync(
      path.join(lamp, 'product.json'),
      JSON.stringify({
        title: 'Helmet Lamp',
        description: 'A desk lamp.',
        price: '129.90',
        category: 'home-decor/lighting',
        options: [{ name: 'Finish', values: ['Black', 'Brass'] }],
        variants: [
          { sku: 'HL-BLK', options: { Finish: 'Black' }, stock: 4 },
          { sku: 'HL-BRS', options: { Finish: 'Brass' }, price: '139.90', stock: 2 },
        ],
        modelAttribution: 'glTF-Transform test fixture (MIT)',
      }),
    );
    first = await e3d(['import', source, '--publish', '--price', '49.00'], { DATA_DIR: dataDir });
  }, 120_000);

  it('creates the products and processes their media; the summary says so', async () => {
    expect(first.code, first.out).toBe(0);
    expect(first.stdout).toMatch(/2 product\(s\) to create, 0 to skip/);
    expect(first.stdout).toMatch(/products created\s+2/);
    expect(first.stdout).toMatch(/media ready\s+5 of 5/);
    expect(first.stdout).toMatch(/media failed\s+0/);
    expect(first.stdout).toMatch(/categories created\s+2/);
    expect(first.stderr).toMatch(/media processed \|=+\| 5\/5/);
  });

  it('the rows are in the database once the CLI has exited', async () => {
    await withDatabase(dataDir, async (db) => {
      const products = await db.query<Record<string, unknown>>(
        `SELECT handle, title, status, price_min, price_max, currency, has_3d FROM products ORDER BY handle`,
      );
      expect(products).toEqual([
        {
          handle: 'helmet-lamp',
          title: 'Helmet Lamp',
          status: 'published',
          price_min: 12990,
          price_max: 13990,
          currency: 'USD',
          has_3d: true,
        },
        {
          handle: 'oak-chair',
          title: 'Oak Chair',
          status: 'published',
          price_min: 4900,
          price_max: 4900,
          currency: 'USD',
          has_3d: true,
        },
      ]);
      const variants = await db.query<{ sku: string; title: string; stock_on_hand: number }>(
        'SELECT sku, title, stock_on_hand FROM product_variants ORDER BY sku',
      );
      expect(variants).toEqual([
        { sku: 'HL-BLK', title: 'Black', stock_on_hand: 4 },
        { sku: 'HL-BRS', title: 'Brass', stock_on_hand: 2 },
        { sku: 'OAK-CHAIR', title: 'Default', stock_on_hand: 0 },
      ]);
      const media = await db.query<{
        handle: string;
        kind: string;
        status: string;
        attribution: string | null;
      }>(
        `SELECT p.handle, m.kind, m.status, m.attribution FROM product_media m
         JOIN products p ON p.id = m.product_id ORDER BY p.handle, m.position`,
      );
      expect(media.map((m) => `${m.handle} ${m.kind} ${m.status}`)).toEqual([
        'helmet-lamp image ready',
        'helmet-lamp model ready',
        'oak-chair image ready',
        'oak-chair image ready',
        'oak-chair model ready',
      ]);
      expect(media[1]?.attribution).toBe('glTF-Transform test fixture (MIT)');
      const [category] = await db.query<{ parent: string }>(
        `SELECT parent.handle AS parent FROM categories c JOIN categories parent ON parent.id = c.parent_id
         WHERE c.handle = 'lighting'`,
      );
      expect(category?.parent).toBe('home-decor');
    });
  });

  it('a second run skips the existing handles and overwrites nothing', async () => {
    const again = await e3d(['import', source], { DATA_DIR: dataDir });
    expect(again.code, again.out).toBe(0);
    expect(again.stdout).toMatch(
      /helmet-lamp \(folder helmet-lamp\): skipped, a product with handle helmet-lamp exists/,
    );
    expect(again.stdout).toMatch(/products skipped\s+2/);
    await withDatabase(dataDir, async (db) => {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM product_media');
      expect(row?.n).toBe(5);
    });
  });
});

describe('pnpm e3d import: media that fails processing', () => {
  it('is listed with its failure_code and message; exit 2', async () => {
    const dataDir = tempDir('e3d-import-fail-');
    await initialiseDatabase(dataDir);
    const source = tempDir('e3d-import-src-');
    mkdirSync(path.join(source, 'broken-vase'));
    const glb = readFileSync(path.join(MODELS, 'TwoCubes.glb'));
    writeFileSync(path.join(source, 'broken-vase', 'vase.glb'), glb.subarray(0, glb.length - 64));
    await png(path.join(source, 'broken-vase', 'vase.png'), 50);
    const result = await e3d(['import', source], { DATA_DIR: dataDir });
    expect(result.code, result.out).toBe(2);
    expect(result.stdout).toMatch(/media ready\s+1 of 2/);
    expect(result.stdout).toMatch(/media failed\s+1/);
    expect(result.stdout).toMatch(
      /failed media\n.*\n\s+broken-vase\s+vase\.glb\s+corrupt_binary\s+corrupt or truncated GLB/,
    );
  });
});

describe('pnpm e3d import MANIFEST.csv', () => {
  it('one bad row: every problem with its row number, nothing written, exit 1', async () => {
    const dataDir = tempDir('e3d-import-bad-');
    await initialiseDatabase(dataDir);
    const dir = tempDir('e3d-import-csv-');
    await png(path.join(dir, 'a.png'), 10);
    writeFileSync(
      path.join(dir, 'products.csv'),
      [
        'handle,title,description,price,currency,sku,stock,category,images,model,status',
        'desk-lamp,Desk Lamp,"Bright, small",49.00,USD,DL-1,10,home-decor/lighting,a.png,,published',
        'vase,Vase,,12.345,USD,VS-1,3,home-decor,a.png,,',
        'bowl,,,8.00,USD,BW-1,1,,,,',
      ].join('\n'),
    );
    const result = await e3d(['import', path.join(dir, 'products.csv')], { DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/2 problems found; nothing was written/);
    expect(result.stderr).toMatch(/row 3\s+price: "12\.345" has 3 decimals; USD has 2/);
    expect(result.stderr).toMatch(/row 4\s+title: is required/);
    await withDatabase(dataDir, async (db) => {
      const [row] = await db.query<{ products: number; categories: number; jobs: number }>(
        `SELECT (SELECT count(*)::int FROM products) AS products, (SELECT count(*)::int FROM categories) AS categories,
                (SELECT count(*)::int FROM jobs) AS jobs`,
      );
      expect(row).toEqual({ products: 0, categories: 0, jobs: 0 });
    });
  });

  it('--dry-run shows the plan and writes nothing', async () => {
    const dataDir = tempDir('e3d-import-dry-');
    await initialiseDatabase(dataDir);
    const dir = tempDir('e3d-import-csv-');
    copyFileSync(path.join(MODELS, 'TwoCubes.glb'), path.join(dir, 'cubes.glb'));
    writeFileSync(
      path.join(dir, 'products.csv'),
      'handle,title,price,sku,model,category\ncube-set,Cube Set,0.10,CS-1,cubes.glb,toys/blocks\n',
    );
    const result = await e3d(['import', path.join(dir, 'products.csv'), '--dry-run'], { DATA_DIR: dataDir });
    expect(result.code, result.out).toBe(0);
    expect(result.stdout).toMatch(
      /\+\s+cube-set\s+row 2\s+draft\s+1\s+0\.10 USD\s+0\s+cubes\.glb\s+toys\/blocks/,
    );
    expect(result.stdout).toMatch(/new categories: toys\/blocks/);
    expect(result.stdout).toMatch(/dry run: nothing was written/);
    await withDatabase(dataDir, async (db) => {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM products');
      expect(row?.n).toBe(0);
    });
  });
});
