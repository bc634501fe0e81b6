import { spawn } from 'node:child_process';
import path from 'node:path';
import { verifyPassword } from '@e3d/auth';
import { openDatabase } from '@e3d/db';
import { describe, expect, it } from 'vitest';
import { CLI, e3d, initialiseDatabase, root, tempDirs } from './run-cli.ts';

const makeTempDir = tempDirs();
const dataDir = () => makeTempDir('e3d-staff-');

/** The staff row as stored in the embedded database of `dir`. */
async function storedStaff(dir: string, email: string) {
  const db = await openDatabase({ pgliteDir: path.join(dir, 'pglite') });
  try {
    const [row] = await db.query<{ name: string; role: string; status: string; password_hash: string }>(
      'SELECT name, role, status, password_hash FROM staff WHERE email = $1',
      [email],
    );
    return row;
  } finally {
    await db.close();
  }
}

describe('pnpm e3d staff create-owner', () => {
  it('generates a strong password, prints it once and stores only its hash', async () => {
    const dir = dataDir();
    await initialiseDatabase(dir);
    const created = await e3d(
      ['staff', 'create-owner', '--email', ' Boss@Shop.Test ', '--name', 'The Boss'],
      {
        DATA_DIR: dir,
      },
    );
    expect(created.code, created.out).toBe(0);
    expect(created.out).toContain('created owner boss@shop.test');
    const password = created.out.match(/^password: (\S+)$/m)?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);

    const row = await storedStaff(dir, 'boss@shop.test');
    expect(row).toMatchObject({ name: 'The Boss', role: 'owner', status: 'active' });
    expect(row?.password_hash).not.toContain(password);
    expect(await verifyPassword(row?.password_hash ?? null, password)).toBe(true);

    const again = await e3d(['staff', 'create-owner', '--email', 'boss@shop.test'], { DATA_DIR: dir });
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/staff member boss@shop\.test already exists/);
  });

  it('takes a given password, and refuses weak ones and bad emails', async () => {
    const dir = dataDir();
    await initialiseDatabase(dir);
    const given = await e3d(
      ['staff', 'create-owner', '--email', 'own@shop.test', '--password', 'chosen-passphrase'],
      {
        DATA_DIR: dir,
      },
    );
    expect(given.code, given.out).toBe(0);
    expect(given.out).not.toContain('chosen-passphrase');
    const row = await storedStaff(dir, 'own@shop.test');
    expect(await verifyPassword(row?.password_hash ?? null, 'chosen-passphrase')).toBe(true);

    const weak = await e3d(['staff', 'create-owner', '--email', 'weak@shop.test', '--password', 'short'], {
      DATA_DIR: dir,
    });
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/--password: must be 10 to 256 characters/);
    const bad = await e3d(['staff', 'create-owner', '--email', 'not-an-email'], { DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/--email: "not-an-email" is not an email address/);
    const missing = await e3d(['staff', 'create-owner'], { DATA_DIR: dir });
    expect(missing.code).not.toBe(0);
    expect(missing.out).toMatch(/--email/);
  });
});

/** Starts `e3d dev`, waits for its URL block, stops it; returns what it printed. */
async function quickStart(dir: string): Promise<string> {
  const child = spawn(process.execPath, [...CLI, 'dev', '--no-web'], {
    cwd: root,
    // One media job at a time: the demo media start processing at once, and this test only
    // needs the URL block.
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      API_PORT: '0',
      HOST: '127.0.0.1',
      WORKER_CONCURRENCY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`e3d dev printed no URL block:\n${out}`)), 90_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Press Ctrl+C to stop.')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () => {
        clearTimeout(timer);
        reject(new Error(`e3d dev exited early:\n${out}`));
      });
    });
    const api = out.match(/API\s+(http:\/\/\S+)\/api\/products/)?.[1] ?? '';
    const signIn = out.match(/Admin sign-in (\S+) \/ (\S+)/);
    if (signIn) {
      const response = await fetch(`${api}/api/admin/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-e3d-client': 'api' },
        body: JSON.stringify({ email: signIn[1], password: signIn[2] }),
      });
      out += `\nsign-in status ${response.status}\n`;
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return out;
}

describe('pnpm e3d dev', () => {
  it('creates the demo owner on first run and prints its password once', { timeout: 240_000 }, async () => {
    const dir = dataDir();
    const first = await quickStart(dir);
    expect(first).toMatch(/Admin sign-in owner@example\.com \/ \S{20,}/);
    expect(first).toContain('sign-in status 200');
    const second = await quickStart(dir);
    expect(second).toContain('Admin sign-in owner@example.com (exists');
    expect(second).not.toMatch(/owner@example\.com \/ /);
  });
});
