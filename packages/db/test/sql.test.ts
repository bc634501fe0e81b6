import { BACKENDS, type TestDatabase, testDatabase } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, rows, sql } from '../src/index.ts';

describe.each(BACKENDS)('rows() on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await testDatabase(backend);
    db = database.db;
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY, text text NOT NULL)');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('runs the same query on the pool, a connection, a transaction and a drizzle transaction', async () => {
    await rows(db, sql`INSERT INTO notes VALUES (${1}, ${'pool'})`);
    await db.withConnection((conn) => rows(conn, sql`INSERT INTO notes VALUES (${2}, ${'session'})`));
    await db.transaction((conn) => rows(conn, sql`INSERT INTO notes VALUES (${3}, ${'transaction'})`));
    await db.orm.transaction((tx) => rows(tx, sql`INSERT INTO notes VALUES (${4}, ${'drizzle'})`));
    const ids = [1, 2, 3, 4];
    const read = (conn: Parameters<typeof rows>[0]) =>
      rows<{ id: number; text: string }>(
        conn,
        sql`SELECT id, text FROM notes WHERE id = ANY(${sql.param(ids)}::int[]) ORDER BY id`,
      );
    const expected = [
      { id: 1, text: 'pool' },
      { id: 2, text: 'session' },
      { id: 3, text: 'transaction' },
      { id: 4, text: 'drizzle' },
    ];
    expect(await read(db)).toEqual(expected);
    expect(await read(db.orm)).toEqual(expected);
    expect(
      await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM notes WHERE id IN ${ids}`, {
        prepared: true,
      }),
    ).toEqual([{ n: 4 }]);
  });
});
