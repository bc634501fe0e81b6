export { type AppDeps, buildApp } from './app.ts';
export { type RunningApi, startApi } from './main.ts';
export { createOwner, DEMO_OWNER_EMAIL } from './modules/accounts/staff-bootstrap.ts';
export { openRuntime, type Runtime } from './runtime.ts';
