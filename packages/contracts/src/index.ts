export * from './accounts.ts';
export * from './admin-catalog.ts';
export * from './admin-staff.ts';
export * from './audit.ts';
export * from './catalog.ts';
export * from './media.ts';
export * from './problem.ts';
