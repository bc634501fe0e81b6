export * from './pricing/index.ts';
