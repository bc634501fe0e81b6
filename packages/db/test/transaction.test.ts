import { BACKENDS, type TestDatabase, testDatabase } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/index.ts';

describe.each(BACKENDS)('Database.transaction on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await testDatabase(backend);
    db = database.db;
    await db.exec('CREATE TABLE notes (text text)');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('commits on success and rolls back on error', async () => {
    await db.transaction((conn) => conn.query("INSERT INTO notes VALUES ('kept')"));
    await expect(
      db.transaction(async (conn) => {
        await conn.query("INSERT INTO notes VALUES ('undone')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await db.query<{ text: string }>('SELECT text FROM notes ORDER BY text');
    expect(rows.map((r) => r.text)).toEqual(['kept']);
  });

  it("a concurrent caller's write is not swept into a transaction that rolls back", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const failing = db.transaction(async (conn) => {
      await conn.query("INSERT INTO notes VALUES ('inside')");
      await held;
      throw new Error('rolled back');
    });
    const outside = db.query("INSERT INTO notes VALUES ('outside')");
    setTimeout(release, 50);
    await expect(failing).rejects.toThrow('rolled back');
    await outside;
    const rows = await db.query<{ text: string }>(
      "SELECT text FROM notes WHERE text IN ('inside', 'outside')",
    );
    expect(rows.map((r) => r.text)).toEqual(['outside']);
  });
});
