export * from './cdn.ts';
export * from './from-config.ts';
export * from './keys.ts';
export * from './local.ts';
export * from './s3.ts';
export * from './store.ts';
export * from './upload-signing.ts';
