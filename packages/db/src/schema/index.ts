export * from './accounts.ts';
export * from './catalog.ts';
export * from './commerce.ts';
export * from './jobs.ts';
