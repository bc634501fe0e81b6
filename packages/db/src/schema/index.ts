export * from './catalog.ts';
export * from './jobs.ts';
