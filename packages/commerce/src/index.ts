export * from './events/emit.ts';
export * from './pricing/index.ts';
