export * from './accounts.ts';
export * from './catalog.ts';
export * from './jobs.ts';
