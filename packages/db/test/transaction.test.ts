import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createPostgresDatabase } from '../../../apps/api/test/support.ts';
import { type Database, openDatabase } from '../src/index.ts';

describe.each(BACKENDS)('Database.transaction on %s', (backend) => {
  let db: Database;
  let drop = async () => {};
  beforeAll(async () => {
    let url: string | undefined;
    if (backend === 'postgres+redis') {
      const created = await createPostgresDatabase();
      url = created.url;
      drop = created.drop;
    }
    db = await openDatabase({ databaseUrl: url });
    await db.exec('CREATE TABLE notes (text text)');
  });
  afterAll(async () => {
    await db?.close();
    await drop();
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
