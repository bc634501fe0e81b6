export { type SQL, sql } from 'drizzle-orm';
export * from './client.ts';
export * from './migrate.ts';
export type { ImageRendition, MediaProcessing, ModelStats } from './schema/index.ts';
export * as schema from './schema/index.ts';
export * from './sql.ts';
export { DatabaseUnavailableError, isDatabaseUnavailable } from './unavailable.ts';
