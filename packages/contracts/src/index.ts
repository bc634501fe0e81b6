export * from './catalog.ts';
export * from './media.ts';
export * from './problem.ts';
