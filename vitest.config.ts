import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Postgres-backed files each create their own database; two at a time suits 2-core CI.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
