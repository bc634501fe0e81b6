export * from './import/index.ts';
export * from './seed/fixture-catalog.ts';
export * from './seed/seed.ts';
export * from './seed/seed-processed.ts';
export * from './storefront/revalidate.ts';
