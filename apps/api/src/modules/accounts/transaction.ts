import type { Connection, Database } from '@e3d/db';

/**
 * Runs `fn` in one transaction: its writes (and the jobs it enqueues, such as emails) commit
 * together or not at all. Inside, use only `conn`: on PGlite a query on `db` would wait for
 * the transaction to end.
 */
export function inTransaction<T>(db: Database, fn: (conn: Connection) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
