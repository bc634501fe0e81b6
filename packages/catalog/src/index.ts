export * from './import/index.ts';
export * from './media/job.ts';
export * from './media/pipeline.ts';
export * from './media/process-media.ts';
export * from './seed/seed.ts';
export * from './seed/seed-processed.ts';
export * from './storefront/revalidate.ts';
