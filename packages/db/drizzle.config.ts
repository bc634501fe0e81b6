import { defineConfig } from 'drizzle-kit';

// Used only to generate SQL migrations from the schema (`pnpm --filter @e3d/db generate`);
// migrations are applied by our own migrator (src/migrate.ts), never by drizzle-kit.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
});
