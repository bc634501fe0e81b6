export * from './job.ts';
export * from './pipeline.ts';
export * from './process-media.ts';
export { removeUnreferenced } from './stored-files.ts';
