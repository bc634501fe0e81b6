import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadMigrations } from '@e3d/db';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, createPostgresDatabase } from '../../../apps/api/test/support.ts';

const MIGRATIONS = loadMigrations().length;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** Runs `e3d` as `pnpm e3d` does; resolves with its exit code and output. */
async function e3d(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'packages/cli/src/main.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      },
    );
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'e3d-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

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
