import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, migrate, openDatabase, rows, sql } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CATALOG, seedAndProcessDemoCatalog, validateDemoCatalog } from '../src/index.ts';
import { DEMO_PRODUCTS } from '../src/seed/demo-catalog.ts';

describe('the fixture catalog (tests that need a catalog, not the demo)', () => {
  it('is consistent, and a subset of the demo with the same handles, SKUs, prices and stock', () => {
    expect(validateDemoCatalog(FIXTURE_CATALOG)).toEqual([]);
    for (const product of FIXTURE_CATALOG.products) {
      const demo = DEMO_PRODUCTS.find((p) => p.handle === product.handle);
      expect(demo?.variants).toEqual(product.variants);
    }
    expect(FIXTURE_CATALOG.products.filter((p) => p.model).map((p) => p.model?.file)).toEqual([
      'TwoCubes.glb',
    ]);
    expect(new Set(FIXTURE_CATALOG.products.map((p) => p.status))).toEqual(
      new Set(['published', 'draft', 'archived']),
    );
  });

  describe('seeded and processed on PGlite', () => {
    let db: Database;
    let root: string;
    let result: Awaited<ReturnType<typeof seedAndProcessDemoCatalog>>;

    beforeAll(async () => {
      root = mkdtempSync(path.join(tmpdir(), 'e3d-fixture-seed-'));
      db = await openDatabase({});
      await migrate(db);
      const store = createLocalStore({ root, publicBaseUrl: 'http://localhost:4000' });
      result = await seedAndProcessDemoCatalog(db, store, { catalog: 'fixture', preset: 'high' });
    });
    afterAll(async () => {
      await db?.close();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('writes its products and makes every media ready: small images, one model', async () => {
      expect(result).toMatchObject({ seeded: true, products: 6, failed: 0, processed: result.media });
      const media = await rows<{ kind: string; status: string; width: number | null }>(
        db,
        sql`SELECT kind, status, width FROM product_media ORDER BY kind`,
      );
      expect(media.every((m) => m.status === 'ready')).toBe(true);
      expect(media.filter((m) => m.kind === 'model')).toHaveLength(1);
      expect(new Set(media.filter((m) => m.kind === 'image').map((m) => m.width))).toEqual(new Set([320]));
    });

    it('seeds the same shop settings as the demo (checkout works)', async () => {
      const [settings] = await rows<{ shipping: number; tax: number }>(
        db,
        sql`SELECT (SELECT count(*)::int FROM shipping_methods) AS shipping, (SELECT count(*)::int FROM tax_rates) AS tax`,
      );
      expect(settings?.shipping).toBeGreaterThan(0);
      expect(settings?.tax).toBeGreaterThan(0);
    });
  });
});
