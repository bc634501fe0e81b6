export * from './catalog.ts';
export * from './problem.ts';
