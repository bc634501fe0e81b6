import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '@e3d/db';
import { afterAll } from 'vitest';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
/** How `pnpm e3d` starts the CLI. */
export const CLI = ['--import', 'tsx', 'apps/cli/src/main.ts'];
const run = promisify(execFile);

/** Runs `e3d` as `pnpm e3d` does (no terminal: nothing is asked); resolves with its exit code and output. */
export async function e3d(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [...CLI, ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out: e.stdout + e.stderr };
  }
}

/** A factory of temporary folders, all removed when the test file ends. */
export function tempDirs(): (prefix: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

let templateDir: string | undefined;
let template: Promise<string> | undefined;
afterAll(() => {
  if (templateDir) rmSync(templateDir, { recursive: true, force: true });
});

/**
 * Gives DATA_DIR an embedded database that is initialised but has no migrations yet, copied
 * from one made once per test file: the CLI then opens it as it opens any existing folder,
 * instead of paying PGlite's initdb (seconds of CPU) in every process that starts on a new
 * folder. Tests of a first run on a brand-new folder (`db migrate`, `dev`) skip this.
 */
export async function initialiseDatabase(dataDir: string): Promise<void> {
  template ??= (async () => {
    templateDir = mkdtempSync(path.join(tmpdir(), 'e3d-pglite-template-'));
    const db = await openDatabase({ pgliteDir: path.join(templateDir, 'pglite') });
    await db.close();
    return templateDir;
  })();
  cpSync(path.join(await template, 'pglite'), path.join(dataDir, 'pglite'), { recursive: true });
}
