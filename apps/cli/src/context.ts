import path from 'node:path';
import { type Config, loadConfig } from '@e3d/config';
import { type Database, openDatabase } from '@e3d/db';
import { type ObjectStore, openStoreFromConfig } from '@e3d/storage';

export function config(): Config {
  return loadConfig();
}

export function openDb(config: Config, applicationName: string): Promise<Database> {
  return openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: path.join(config.dataDir, 'pglite'),
    poolMax: 2,
    applicationName,
  });
}

export function openStore(config: Config): Promise<ObjectStore> {
  return openStoreFromConfig(config);
}

/** Where the data lives, without credentials, for log lines. */
export function describeDatabase(config: Config): string {
  if (!config.DATABASE_URL) return `embedded PGlite in ${path.join(config.dataDir, 'pglite')}`;
  const url = new URL(config.DATABASE_URL);
  return `Postgres at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
