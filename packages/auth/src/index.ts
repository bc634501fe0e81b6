export * from './passwords.ts';
export * from './permissions.ts';
export * from './secret.ts';
export * from './tokens.ts';
