export * from './dedupe.ts';
export * from './errors.ts';
export * from './from-config.ts';
export * from './signature.ts';
export * from './stripe-provider.ts';
export * from './test-provider.ts';
export * from './types.ts';
