export * from './queue.ts';
export * from './worker.ts';
