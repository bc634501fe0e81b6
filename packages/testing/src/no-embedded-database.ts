import { refuse } from './unit-lane.ts';

/**
 * Stands in for @electric-sql/pglite in the unit lane (see the alias in vitest.config.ts):
 * modules that import the database still load, but opening the embedded database fails loudly.
 */
export class PGlite {
  static create(): never {
    throw refuse('database (embedded PGlite)');
  }

  constructor() {
    throw refuse('database (embedded PGlite)');
  }
}

export const pg_trgm = {};
