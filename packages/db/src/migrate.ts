import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Connection, Database } from './client.ts';
import { rows } from './sql.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Any fixed 64-bit number will do, as long as nothing else in the database uses it. */
const MIGRATION_LOCK_ID = 7_364_230_001;

export interface Migration {
  tag: string;
  hash: string;
  statements: string[];
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const journal = JSON.parse(readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string; idx: number }[];
  };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const text = readFileSync(path.join(dir, `${tag}.sql`), 'utf8');
      return {
        tag,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: text
          .split('--> statement-breakpoint')
          .map((s) => s.trim())
          .filter(Boolean),
      };
    });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Forward-only and idempotent: applies each pending migration in its own transaction and
 * records it. A session-level advisory lock makes a second migrator (two deploy tasks
 * starting at once) wait, then find nothing left to do.
 */
export async function migrate(
  db: Database,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const migrations = loadMigrations(options.dir);
  const log = options.log ?? (() => {});
  return db.withConnection(async (conn) => {
    await rows(conn, sql`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`);
    try {
      return await applyPending(conn, migrations, log);
    } finally {
      await rows(conn, sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`);
    }
  });
}

async function applyPending(
  conn: Connection,
  migrations: Migration[],
  log: (line: string) => void,
): Promise<MigrateResult> {
  await conn.exec(`CREATE TABLE IF NOT EXISTS e3d_migrations (
    tag text PRIMARY KEY,
    hash text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const recorded = await rows<{ tag: string; hash: string }>(conn, sql`SELECT tag, hash FROM e3d_migrations`);
  const done = new Map(recorded.map((r) => [r.tag, r.hash]));
  const known = new Set(migrations.map((m) => m.tag));
  const unknown = recorded.filter((r) => !known.has(r.tag)).map((r) => r.tag);
  if (unknown.length > 0) {
    throw new MigrationError(
      `the database has migrations this build does not know (${unknown.join(', ')}): deploy a newer build`,
    );
  }
  const applied: string[] = [];
  for (const migration of migrations) {
    const appliedHash = done.get(migration.tag);
    if (appliedHash !== undefined) {
      if (appliedHash !== migration.hash) {
        throw new MigrationError(
          `migration ${migration.tag} was edited after it was applied; migrations are forward-only, add a new one instead`,
        );
      }
      continue;
    }
    await conn.exec('BEGIN');
    try {
      for (const statement of migration.statements) await conn.exec(statement);
      await rows(
        conn,
        sql`INSERT INTO e3d_migrations (tag, hash) VALUES (${migration.tag}, ${migration.hash})`,
      );
      await conn.exec('COMMIT');
    } catch (error) {
      await conn.exec('ROLLBACK');
      throw new MigrationError(`migration ${migration.tag} failed: ${(error as Error).message}`);
    }
    applied.push(migration.tag);
    log(`applied ${migration.tag}`);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}
