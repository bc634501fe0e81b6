import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BACKENDS, createPostgresDatabase, TEST_POSTGRES_URL } from '@e3d/testing/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Database,
  loadMigrations,
  MIGRATIONS_DIR,
  MigrationError,
  migrate,
  openDatabase,
} from '../src/index.ts';

/** Each reopens the same database: PGlite on a directory, or a Postgres database of its own. */
const backends: {
  name: string;
  open: () => Promise<{ db: () => Promise<Database>; drop: () => Promise<void> }>;
}[] = [
  {
    name: 'pglite',
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'e3d-pglite-'));
      return { db: () => openDatabase({ pgliteDir: dir }), drop: async () => {} };
    },
  },
  ...(BACKENDS.includes('postgres+redis')
    ? [
        {
          name: 'postgres',
          open: async () => {
            const created = await createPostgresDatabase();
            return { db: () => openDatabase({ databaseUrl: created.url, poolMax: 4 }), drop: created.drop };
          },
        },
      ]
    : []),
];

const expectedTags = loadMigrations().map((m) => m.tag);

describe.each(backends)('migrate on $name', ({ name, open }) => {
  let target: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    target = await open();
  });
  afterAll(async () => {
    await target.drop();
  });

  it('applies every migration once, then finds nothing to do', async () => {
    const db = await target.db();
    try {
      const first = await migrate(db);
      expect(first.applied).toEqual(expectedTags);
      const second = await migrate(db);
      expect(second).toEqual({ applied: [], alreadyApplied: expectedTags.length });
      const recorded = await db.query<{ tag: string }>('SELECT tag FROM e3d_migrations ORDER BY tag');
      expect(recorded.map((r) => r.tag)).toEqual(expectedTags);
      const [ext] = await db.query<{ extname: string }>(
        "SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'",
      );
      expect(ext?.extname).toBe('pg_trgm');
    } finally {
      await db.close();
    }
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'e3d-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, `${expectedTags[0]}.sql`), 'SELECT 1;');
    const db = await target.db();
    try {
      await expect(migrate(db, { dir })).rejects.toThrow(MigrationError);
      await expect(migrate(db, { dir })).rejects.toThrow(/edited after it was applied/);
    } finally {
      await db.close();
    }
  });

  if (name === 'postgres') {
    it('holds an advisory lock: concurrent migrators apply each migration exactly once', async () => {
      const fresh = await createPostgresDatabase();
      const dbs = await Promise.all(
        Array.from({ length: 4 }, () => openDatabase({ databaseUrl: fresh.url, poolMax: 2 })),
      );
      try {
        const results = await Promise.all(dbs.map((db) => migrate(db)));
        const appliedCounts = results.map((r) => r.applied.length).sort();
        expect(appliedCounts).toEqual([0, 0, 0, expectedTags.length]);
        const [row] = await (dbs[0] as Database).query<{ n: number }>(
          'SELECT count(*)::int AS n FROM e3d_migrations',
        );
        expect(row?.n).toBe(expectedTags.length);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await fresh.drop();
      }
    });

    it('rolls a failing migration back whole and reports which one', async () => {
      const fresh = await createPostgresDatabase();
      const dir = mkdtempSync(path.join(tmpdir(), 'e3d-migrations-'));
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const journalPath = path.join(dir, 'meta/_journal.json');
      const journal = JSON.parse((await import('node:fs')).readFileSync(journalPath, 'utf8'));
      journal.entries.push({ idx: 999, version: '7', when: 0, tag: '9999_broken', breakpoints: true });
      writeFileSync(journalPath, JSON.stringify(journal));
      writeFileSync(
        path.join(dir, '9999_broken.sql'),
        'CREATE TABLE half_done (id int);\n--> statement-breakpoint\nSELECT * FROM no_such_table;',
      );
      const db = await openDatabase({ databaseUrl: fresh.url });
      try {
        await expect(migrate(db, { dir })).rejects.toThrow(/9999_broken failed/);
        const [table] = await db.query("SELECT to_regclass('half_done') AS t");
        expect((table as { t: unknown }).t).toBeNull();
        const tags = await db.query<{ tag: string }>('SELECT tag FROM e3d_migrations');
        expect(tags.map((t) => t.tag)).not.toContain('9999_broken');
      } finally {
        await db.close();
        await fresh.drop();
      }
    });
  }
});

it('the test Postgres URL is the one CI starts', () => {
  expect(TEST_POSTGRES_URL).toMatch(/^postgres:\/\//);
});
