import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrate, openDatabase } from '@e3d/db';
import { createLocalStore, type ObjectStore } from '@e3d/storage';
import { writeTriangleGltf } from '@e3d/testing/models';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_MODELS_DIR,
  formatPrice,
  type ImportDefaults,
  type ImportReport,
  parsePrice,
  planImport,
  readImportSource,
  readModelFile,
  runImport,
} from '../src/index.ts';

const DEFAULTS: ImportDefaults = {
  currency: 'USD',
  status: 'draft',
  folderPrice: '0.00',
  maxImageBytes: 25 * 1024 * 1024,
  maxModelBytes: 100 * 1024 * 1024,
};

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const png = (file: string, r: number) =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: { r, g: 90, b: 160 } } })
    .png()
    .toFile(file);

describe('parsePrice: decimal text to integer minor units, never through floating point', () => {
  it.each([
    ['19.99', 'USD', 1999],
    ['0.1', 'USD', 10],
    ['0.10', 'USD', 10],
    ['49', 'USD', 4900],
    ['49.00', 'USD', 4900],
    [' 5.5 ', 'EUR', 550],
    ['0', 'USD', 0],
    ['000012.30', 'USD', 1230],
    ['1200', 'JPY', 1200],
    ['1.234', 'KWD', 1234],
    ['21474836.47', 'USD', 2_147_483_647],
  ])('%s %s → %d', (text, currency, amount) => {
    expect(parsePrice(text, currency)).toEqual({ ok: true, amount });
  });

  it.each([
    ['1,000.00', 'USD', /thousands separator/],
    ['12,50', 'EUR', /decimal comma/],
    ['12.345', 'USD', /3 decimals; USD has 2/],
    ['12.5', 'JPY', /JPY has no minor unit/],
    ['-1.00', 'USD', /negative/],
    ['1e3', 'USD', /not a decimal amount/],
    ['$5', 'USD', /not a decimal amount/],
    ['.5', 'USD', /not a decimal amount/],
    ['5.', 'USD', /not a decimal amount/],
    ['', 'USD', /empty/],
    ['21474836.48', 'USD', /too large/],
    ['99999999999999999999', 'USD', /too large/],
  ])('refuses %s %s', (text, currency, reason) => {
    const parsed = parsePrice(text, currency);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('formats minor units back exactly', () => {
    expect(formatPrice(1999, 'USD')).toBe('19.99');
    expect(formatPrice(10, 'USD')).toBe('0.10');
    expect(formatPrice(1200, 'JPY')).toBe('1200');
    expect(formatPrice(1234, 'KWD')).toBe('1.234');
  });
});

describe('readImportSource checks every row before anything is written', () => {
  it('reports every problem of a CSV with the row a spreadsheet shows', async () => {
    const dir = tempDir('e3d-import-csv-');
    await png(path.join(dir, 'a.png'), 10);
    writeFileSync(
      path.join(dir, 'products.csv'),
      [
        'handle,title,price,sku,images,category',
        'good,Good,10.00,G-1,a.png,home/lamps',
        '',
        'bad-price,Bad,12.345,B-1,,',
        'no-title,,5.00,N-1,,',
        'good,Again,1.00,G-2,missing.png,Home',
        'short,Short',
      ].join('\n'),
    );
    const source = await readImportSource(path.join(dir, 'products.csv'), DEFAULTS);
    const found = source.problems.map((p) => `${p.where} ${p.field ?? '-'}: ${p.message}`);
    expect(found).toEqual([
      'row 4 price: "12.345" has 3 decimals; USD has 2',
      'row 5 title: is required',
      'row 6 category: "Home" must be a path of handles like home-decor/lighting',
      'row 6 images: missing.png: no such file',
      'row 7 -: has 2 fields; the header has 6',
    ]);
    expect(source.products.map((p) => p.handle)).toEqual(['good']);
  });

  it('names unknown columns and duplicate handles and SKUs', async () => {
    const dir = tempDir('e3d-import-dup-');
    writeFileSync(path.join(dir, 'a.csv'), 'title,prcie\nA,1\n');
    const typo = await readImportSource(path.join(dir, 'a.csv'), DEFAULTS);
    expect(typo.problems[0]).toMatchObject({ where: 'row 1', row: 1, field: 'prcie' });

    writeFileSync(
      path.join(dir, 'b.json'),
      JSON.stringify([
        { title: 'Lamp', price: '1.00', sku: 'X' },
        { title: 'Lamp', price: 2.5, sku: 'Y' },
        { handle: 'other', title: 'Other', price: '3', sku: 'X', colour: 'red' },
      ]),
    );
    const dup = await readImportSource(path.join(dir, 'b.json'), DEFAULTS);
    expect(dup.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
      'item 3: unknown field "colour"',
      'item 2: handle lamp is also used by item 1',
    ]);
  });

  it('reads a folder: product.json when present, the folder name otherwise', async () => {
    const dir = tempDir('e3d-import-folder-');
    mkdirSync(path.join(dir, 'oak-chair'));
    mkdirSync(path.join(dir, 'Brass Lamp'));
    await png(path.join(dir, 'oak-chair', '2.png'), 1);
    await png(path.join(dir, 'oak-chair', '10.png'), 2);
    copyFileSync(path.join(DEMO_MODELS_DIR, 'TwoCubes.glb'), path.join(dir, 'oak-chair', 'chair.glb'));
    writeFileSync(
      path.join(dir, 'Brass Lamp', 'product.json'),
      JSON.stringify({
        price: '30.00',
        options: [{ name: 'Finish', values: ['Brass', 'Chrome'] }],
        variants: [
          { options: { Finish: 'Brass' } },
          { options: { Finish: 'Chrome' }, price: '32.50', stock: 3 },
        ],
      }),
    );
    const source = await readImportSource(dir, { ...DEFAULTS, folderPrice: '9.99' });
    expect(source.problems).toEqual([]);
    const [lamp, chair] = source.products;
    expect(lamp).toMatchObject({ handle: 'brass-lamp', title: 'Brass Lamp', images: [], model: null });
    expect(lamp?.variants.map((v) => [v.sku, v.title, v.priceAmount, v.stock])).toEqual([
      ['BRASS-LAMP-BRASS', 'Brass', 3000, 0],
      ['BRASS-LAMP-CHROME', 'Chrome', 3250, 3],
    ]);
    expect(chair).toMatchObject({ handle: 'oak-chair', title: 'Oak Chair' });
    expect(chair?.variants).toMatchObject([{ sku: 'OAK-CHAIR', priceAmount: 999, currency: 'USD' }]);
    expect(chair?.images.map((i) => path.basename(i.path))).toEqual(['2.png', '10.png']);
    expect(chair?.model?.path).toMatch(/chair\.glb$/);
  });
});

describe('readModelFile', () => {
  it('packs a .gltf with the files beside it into one ZIP; refuses references outside its folder', async () => {
    const dir = tempDir('e3d-import-gltf-');
    const packed = await readModelFile(writeTriangleGltf(dir));
    expect(packed).toMatchObject({ filename: 'triangle.zip', packed: true });
    const glb = await readModelFile(path.join(DEMO_MODELS_DIR, 'TwoCubes.glb'));
    expect(glb).toMatchObject({ filename: 'TwoCubes.glb', packed: false });

    mkdirSync(path.join(dir, 'p'));
    writeFileSync(
      path.join(dir, 'p', 'escape.gltf'),
      JSON.stringify({ asset: { version: '2.0' }, buffers: [{ uri: '../tri.bin', byteLength: 36 }] }),
    );
    writeFileSync(path.join(dir, 'p', 'product.json'), JSON.stringify({ price: '1.00' }));
    const source = await readImportSource(dir, DEFAULTS);
    expect(source.problems.map((p) => p.message)).toEqual([
      'escape.gltf: references "../tri.bin", which is not a file beside it',
    ]);
  });
});

describe('runImport on an embedded database', () => {
  let db: Database;
  let store: ObjectStore;
  let storeRoot: string;
  let report: ImportReport;
  let dir: string;
  const progress: string[] = [];

  beforeAll(async () => {
    db = await openDatabase({});
    await migrate(db);
    storeRoot = tempDir('e3d-import-store-');
    store = createLocalStore({ root: storeRoot, publicBaseUrl: 'http://localhost:4000' });
    dir = tempDir('e3d-import-run-');
    await png(path.join(dir, 'front.png'), 200);
    await png(path.join(dir, 'back.png'), 100);
    copyFileSync(path.join(DEMO_MODELS_DIR, 'ShapeCollection.glb'), path.join(dir, 'shapes.glb'));
    writeTriangleGltf(dir);
    const broken = new Uint8Array(readFileSync(path.join(DEMO_MODELS_DIR, 'TwoCubes.glb')));
    writeFileSync(path.join(dir, 'broken.glb'), broken.subarray(0, 1000));
    writeFileSync(
      path.join(dir, 'products.csv'),
      [
        'handle,title,description,price,currency,sku,stock,category,images,model,status',
        'shape-set,Shape Set,"Six shapes, one box",49.00,USD,SS-1,12,home-decor/lighting,front.png|back.png,shapes.glb,published',
        'triangle,Triangle,,0.1,EUR,TRI-1,,home-decor,,triangle.gltf,',
        'broken,Broken Model,,19.99,,BR-1,1,toys,,broken.glb,draft',
      ].join('\n'),
    );
    const source = await readImportSource(path.join(dir, 'products.csv'), DEFAULTS);
    const plan = await planImport(db, source);
    expect(plan.problems).toEqual([]);
    expect(plan.newCategories).toEqual(['home-decor/lighting', 'home-decor', 'toys']);
    report = await runImport(db, store, plan, {
      onMediaProgress: (done, total) => progress.push(`${done}/${total}`),
    });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
  });

  it('creates the products with exact prices, variants and categories', async () => {
    expect(report.created.map((c) => c.product.handle)).toEqual(['shape-set', 'triangle', 'broken']);
    expect(report.categoriesCreated).toBe(3);
    const rows = await db.query<Record<string, unknown>>(
      `SELECT p.handle, p.status, p.published_at IS NOT NULL AS published, p.description,
              v.sku, v.price_amount, v.currency, v.stock_on_hand, v.title AS variant
       FROM products p JOIN product_variants v ON v.product_id = p.id ORDER BY p.handle`,
    );
    expect(rows).toEqual([
      {
        handle: 'broken',
        status: 'draft',
        published: false,
        description: '',
        sku: 'BR-1',
        price_amount: 1999,
        currency: 'USD',
        stock_on_hand: 1,
        variant: 'Default',
      },
      {
        handle: 'shape-set',
        status: 'published',
        published: true,
        description: 'Six shapes, one box',
        sku: 'SS-1',
        price_amount: 4900,
        currency: 'USD',
        stock_on_hand: 12,
        variant: 'Default',
      },
      {
        handle: 'triangle',
        status: 'draft',
        published: false,
        description: '',
        sku: 'TRI-1',
        price_amount: 10,
        currency: 'EUR',
        stock_on_hand: 0,
        variant: 'Default',
      },
    ]);
    const tree = await db.query<{ handle: string; parent: string | null; products: string }>(
      `SELECT c.handle, parent.handle AS parent,
              (SELECT string_agg(p.handle, ',' ORDER BY p.handle) FROM product_categories pc
               JOIN products p ON p.id = pc.product_id WHERE pc.category_id = c.id) AS products
       FROM categories c LEFT JOIN categories parent ON parent.id = c.parent_id ORDER BY c.handle`,
    );
    expect(tree).toEqual([
      { handle: 'home-decor', parent: null, products: 'triangle' },
      { handle: 'lighting', parent: 'home-decor', products: 'shape-set' },
      { handle: 'toys', parent: null, products: 'broken' },
    ]);
  });

  it('runs the media pipeline: ready media, the corrupt model failed with its code', async () => {
    expect(report.media).toEqual({ total: 5, ready: 4, failed: 1, pending: 0 });
    expect(progress[0]).toBe('0/5');
    expect(progress.at(-1)).toBe('5/5');
    const broken = report.created.find((c) => c.product.handle === 'broken');
    expect(broken?.media).toMatchObject([{ kind: 'model', status: 'failed', failureCode: 'corrupt_binary' }]);
    const media = await db.query<{ handle: string; kind: string; status: string; position: number }>(
      `SELECT p.handle, m.kind, m.status, m.position FROM product_media m JOIN products p ON p.id = m.product_id
       ORDER BY p.handle, m.position`,
    );
    expect(media.map((m) => `${m.handle}:${m.position}:${m.kind}:${m.status}`)).toEqual([
      'broken:0:model:failed',
      'shape-set:0:image:ready',
      'shape-set:1:image:ready',
      'shape-set:2:model:ready',
      'triangle:0:model:ready',
    ]);
    const [flags] = await db.query<{ has_3d: boolean }>(
      "SELECT has_3d FROM products WHERE handle = 'shape-set'",
    );
    expect(flags?.has_3d).toBe(true);
    // Every staged upload was consumed (the failed one's too).
    const uploads = path.join(storeRoot, 'uploads');
    expect(readdirSync(uploads).flatMap((d) => readdirSync(path.join(uploads, d)))).toEqual([]);
  });

  it('a second run skips the existing handles and writes nothing', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM product_media');
    const plan = await planImport(db, await readImportSource(path.join(dir, 'products.csv'), DEFAULTS));
    expect(plan.create).toEqual([]);
    expect(plan.skip.map((s) => s.product.handle)).toEqual(['shape-set', 'triangle', 'broken']);
    const again = await runImport(db, store, plan);
    expect(again.created).toEqual([]);
    expect(again.skipped).toHaveLength(3);
    expect(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM product_media')).toEqual(before);
  });

  it('a SKU another product has, or a category path against the tree, is a problem before writing', async () => {
    writeFileSync(
      path.join(dir, 'conflict.json'),
      JSON.stringify([
        { handle: 'new-one', title: 'New', price: '1.00', sku: 'SS-1' },
        { handle: 'new-two', title: 'Two', price: '1.00', sku: 'N2', category: 'toys/lighting' },
      ]),
    );
    const plan = await planImport(db, await readImportSource(path.join(dir, 'conflict.json'), DEFAULTS));
    expect(plan.problems.map((p) => `${p.where}: ${p.message}`)).toEqual([
      'item 1: SKU SS-1 already belongs to product shape-set',
      'item 2: category lighting exists under home-decor, not under toys',
    ]);
    await expect(runImport(db, store, plan)).rejects.toThrow(/nothing was written/);
  });
});
