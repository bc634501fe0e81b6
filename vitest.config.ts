import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const TEST_FILES = ['apps/*/test/**/*.test.ts', 'packages/*/test/**/*.test.ts'];
const UNIT_FILES = TEST_FILES.map((glob) => glob.replace(/\.test\.ts$/, '.unit.test.ts'));

/**
 * Two lanes, one run: `pnpm test` (vitest run) runs both, `pnpm test:unit` only the first.
 * - unit: files named `*.unit.test.ts` — no database, Redis, child process, seeding or model
 *   optimization (packages/testing/src/unit-lane.ts makes the first three fail); under a minute.
 * - integration: every other `*.test.ts` — real databases (PGlite and Postgres + Redis), seeded
 *   catalogs, the CLI, browsers. A file with a pure half and a database half is two files.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Postgres-backed files each create their own database; two at a time suits 2-core CI.
    maxWorkers: 2,
    reporters: ['default'],
    env: {
      // Demo models and images come out the same every time: optimize them once per checkout
      // (key: input bytes, options, packages/assets' source, encoder versions).
      E3D_ASSET_CACHE_DIR: here('./node_modules/.cache/e3d-assets'),
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT_FILES,
          // Renditions made here are the code under test, not demo assets to reuse.
          env: { E3D_ASSET_CACHE_DIR: '' },
          setupFiles: [here('./packages/testing/src/unit-lane.ts')],
          // One process per worker for all the lane's files: imports (AWS SDK, sharp, zod…) load
          // once instead of once per file, half the lane's time. A file restores what it changes
          // (env: vi.unstubAllEnvs, spies: vi.restoreAllMocks, servers: close).
          isolate: false,
          alias: [
            {
              find: /^@electric-sql\/pglite(\/.*)?$/,
              replacement: here('./packages/testing/src/no-embedded-database.ts'),
            },
          ],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: TEST_FILES, exclude: [...UNIT_FILES, '**/node_modules/**'] },
      },
    ],
  },
});
