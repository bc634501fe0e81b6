export { type AppDeps, buildApp } from './app.ts';
export { type RunningApi, startApi } from './main.ts';
export { openRuntime, type Runtime } from './runtime.ts';
