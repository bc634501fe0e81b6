export * from './keys.ts';
export * from './local.ts';
export * from './store.ts';
