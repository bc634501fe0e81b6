import { loadMigrations } from '@e3d/db';
import { BACKENDS, createPostgresDatabase } from '@e3d/testing/postgres';
import { describe, expect, it } from 'vitest';
import { e3d, tempDirs } from './run-cli.ts';

const MIGRATIONS = loadMigrations().length;

const makeTempDir = tempDirs();
const dataDir = () => makeTempDir('e3d-cli-');

describe('pnpm e3d db', () => {
  it('migrate then seed on the embedded database; both are idempotent', async () => {
    const env = { DATA_DIR: dataDir() };
    const first = await e3d(['db', 'migrate'], env);
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`applied ${MIGRATIONS} migration(s)`);
    const again = await e3d(['db', 'migrate'], env);
    expect(again.out).toContain(`up to date (${MIGRATIONS} migrations applied before)`);
    const seed = await e3d(['db', 'seed'], env);
    expect(seed.code, seed.out).toBe(0);
    expect(seed.out).toMatch(/seeded 12 products/);
    const reseed = await e3d(['db', 'seed'], env);
    expect(reseed.out).toMatch(/nothing seeded/);
  });

  it.runIf(BACKENDS.includes('postgres+redis'))(
    'migrate on Postgres from two processes at once',
    async () => {
      const database = await createPostgresDatabase();
      try {
        const env = { DATA_DIR: dataDir(), DATABASE_URL: database.url };
        const results = await Promise.all([e3d(['db', 'migrate'], env), e3d(['db', 'migrate'], env)]);
        expect(results.map((r) => r.code)).toEqual([0, 0]);
        const outs = results.map((r) => r.out).join('\n');
        expect(outs).toContain(`applied ${MIGRATIONS} migration(s)`);
        expect(outs).toMatch(/up to date/);
      } finally {
        await database.drop();
      }
    },
  );

  it('stops with the name of a present-but-invalid setting', async () => {
    const bad = await e3d(['db', 'migrate'], { DATABASE_URL: 'mysql://localhost/shop' });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/DATABASE_URL: must be a URL like postgres:/);
    const unreachable = await e3d(['db', 'migrate'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.out).toMatch(/DATABASE_URL: cannot connect to the database/);
  });

  it('rejects an unknown command with help', async () => {
    const result = await e3d(['db', 'explode'], {});
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/unknown command/);
  });
});
