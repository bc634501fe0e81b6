export * from './create.ts';
export * from './model-file.ts';
export * from './plan.ts';
export * from './price.ts';
export * from './product.ts';
export * from './run.ts';
export * from './source.ts';
