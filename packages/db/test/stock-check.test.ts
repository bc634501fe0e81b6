import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BACKENDS, type TestDatabase, testDatabase } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, MIGRATIONS_DIR, migrate } from '../src/index.ts';

const MIGRATION = '0012_stock_on_hand_check';

/** The migrations as they were before 0012: what a shop upgrading to it has applied. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'e3d-migrations-'));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: { tag: string; idx: number }[];
  };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut, `${tag} is in the journal`).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe.each(BACKENDS)('stock_on_hand CHECK (migration 0012) on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  const stock = async (sku: string) =>
    (
      await db.query<{ stock_on_hand: number; allow_backorder: boolean }>(
        'SELECT stock_on_hand, allow_backorder FROM product_variants WHERE sku = $1',
        [sku],
      )
    )[0];

  beforeAll(async () => {
    database = await testDatabase(backend, { poolMax: 2 });
    db = database.db;
    await migrate(db, { dir: migrationsBefore(MIGRATION) });
    // What the old schema let through: an oversold variant, and a backordered one.
    const [product] = await db.query<{ id: string }>(
      `INSERT INTO products (handle, title) VALUES ('oversold-lamp', 'Oversold lamp') RETURNING id`,
    );
    await db.query(
      `INSERT INTO product_variants (product_id, sku, title, price_amount, currency, stock_on_hand, allow_backorder)
       VALUES ($1, 'OVERSOLD', 'Oversold', 1000, 'EUR', -3, false),
              ($1, 'BACKORDERED', 'Backordered', 1000, 'EUR', -2, true),
              ($1, 'FINE', 'Fine', 1000, 'EUR', 4, false)`,
      [product?.id],
    );
    expect((await migrate(db)).applied).toContain(MIGRATION);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('clamps an oversold variant to 0 and leaves backordered and healthy ones alone', async () => {
    expect(await stock('OVERSOLD')).toEqual({ stock_on_hand: 0, allow_backorder: false });
    expect(await stock('BACKORDERED')).toEqual({ stock_on_hand: -2, allow_backorder: true });
    expect(await stock('FINE')).toEqual({ stock_on_hand: 4, allow_backorder: false });
  });

  it('says what it changed in the audit log', async () => {
    const entries = await db.query<{ action: string; entity_type: string; before: unknown; after: unknown }>(
      `SELECT action, entity_type, before, after FROM audit_log WHERE action = 'variant.stock_clamped'`,
    );
    expect(entries).toEqual([
      {
        action: 'variant.stock_clamped',
        entity_type: 'variant',
        before: { sku: 'OVERSOLD', stock: -3 },
        after: { sku: 'OVERSOLD', stock: 0, reason: expect.stringMatching(/migration 0012/) },
      },
    ]);
  });

  it('refuses stock below zero unless the variant takes backorders', async () => {
    const violation = { code: '23514', constraint: 'product_variants_stock_nonnegative' };
    await expect(
      db.query(`UPDATE product_variants SET stock_on_hand = stock_on_hand - 5 WHERE sku = 'FINE'`),
    ).rejects.toMatchObject(violation);
    await expect(
      db.query(`UPDATE product_variants SET allow_backorder = false WHERE sku = 'BACKORDERED'`),
    ).rejects.toMatchObject(violation);
    await db.query(`UPDATE product_variants SET stock_on_hand = stock_on_hand - 5 WHERE sku = 'BACKORDERED'`);
    expect(await stock('BACKORDERED')).toEqual({ stock_on_hand: -7, allow_backorder: true });
    await db.query(`UPDATE product_variants SET stock_on_hand = 0 WHERE sku = 'FINE'`);
    expect((await stock('FINE'))?.stock_on_hand).toBe(0);
  });
});
