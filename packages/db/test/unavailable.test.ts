import {
  BACKENDS,
  createPostgresDatabase,
  TEST_POSTGRES_URL,
  type TestDatabase,
  testDatabase,
} from '@e3d/testing/postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Database,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  openDatabase,
} from '../src/index.ts';

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (error: unknown) => error,
  );

describe.each(BACKENDS)('a failing statement on %s', (backend) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await testDatabase(backend);
    db = database.db;
    await db.exec('CREATE TABLE notes (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('is not an outage: syntax errors and constraint violations keep their own error', async () => {
    const syntax = await rejection(db.query('SELEC 1'));
    expect(isDatabaseUnavailable(syntax)).toBe(false);
    expect((syntax as { code?: string }).code).toBe('42601');
    await db.query('INSERT INTO notes VALUES (1)');
    const duplicate = await rejection(db.transaction((conn) => conn.query('INSERT INTO notes VALUES (1)')));
    expect(isDatabaseUnavailable(duplicate)).toBe(false);
    expect((duplicate as { code?: string }).code).toBe('23505');
  });
});

describe.runIf(BACKENDS.includes('postgres+redis'))('when Postgres goes away', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let name: string;
  let admin: pg.Client;
  let db: Database;

  beforeAll(async () => {
    database = await createPostgresDatabase();
    name = new URL(database.url).pathname.slice(1);
    admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    db = await openDatabase({ databaseUrl: database.url, poolMax: 2 });
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => {});
    await admin?.end();
    await db?.close();
    await database?.drop();
  });

  it('a session that dies inside a transaction neither crashes the process nor returns to the pool', async () => {
    // The statement that kills the session fails with 57P01; the server then closes the
    // socket while the client is still checked out (the ROLLBACK), with no statement of its
    // own running: pg emits 'error' on it, an uncaught exception unless someone listens.
    const error = await rejection(
      db.transaction((conn) => conn.query('SELECT pg_terminate_backend(pg_backend_pid())')),
    );
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    expect(((error as Error).cause as { code?: string }).code).toBe('57P01');
    // Every session the pool hands out afterwards works: the dead one was dropped, not kept.
    for (let i = 0; i < 4; i++) {
      expect(await db.withConnection((conn) => conn.query<{ n: number }>('SELECT 1 AS n'))).toEqual([
        { n: 1 },
      ]);
    }
  });

  it('refused connections and terminated sessions are DatabaseUnavailableError, through drizzle too; it recovers', async () => {
    await db.query('SELECT 1');
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);

    // The pooled sessions were terminated while idle, then new ones are refused (55000):
    // whichever of the two a query meets, it is the same outage.
    for (let i = 0; i < 3; i++) {
      const error = await rejection(db.query('SELECT 1'));
      expect(error, String(error)).toBeInstanceOf(DatabaseUnavailableError);
    }
    const refused = await rejection(db.query('SELECT 1'));
    expect(((refused as Error).cause as { code?: string }).code).toBe('55000');
    expect((refused as Error).message).not.toContain('127.0.0.1');
    const viaDrizzle = await rejection(db.orm.execute(sql`SELECT 1`));
    expect(isDatabaseUnavailable(viaDrizzle), String(viaDrizzle)).toBe(true);
    const checkout = await rejection(db.withConnection((conn) => conn.query('SELECT 1')));
    expect(checkout).toBeInstanceOf(DatabaseUnavailableError);

    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    expect(await db.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    expect(await db.orm.execute(sql`SELECT 1 AS n`)).toMatchObject({ rows: [{ n: 1 }] });
  });

  it('an unreachable server is DatabaseUnavailableError naming the socket error, not the address', async () => {
    const error = new DatabaseUnavailableError(
      await rejection(new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:1/none' }).connect()),
    );
    expect(error.message).toBe('database unavailable (ECONNREFUSED)');
  });
});
