export { type AppDeps, buildApp } from './app.ts';
export { type RunningApi, startApi } from './main.ts';
export { adminTokenFor, openRuntime, type Runtime } from './runtime.ts';
