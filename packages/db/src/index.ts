export * from './client.ts';
export * from './migrate.ts';
export type { ModelStats } from './schema/index.ts';
export * as schema from './schema/index.ts';
export * from './seed/seed.ts';
