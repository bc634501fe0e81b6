import type { Connection, Database } from '@e3d/db';
import { type SQL, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../sql.ts';

/**
 * Runs `fn` in one transaction: its writes (and the jobs it enqueues, such as emails) commit
 * together or not at all. It runs in `db.orm.transaction`, which holds one session (a pool
 * client, or PGlite's exclusive lock so that concurrent requests wait instead of joining it).
 * Inside, use only `conn`: on PGlite a query on `db` would wait for the transaction to end.
 */
export function inTransaction<T>(db: Database, fn: (conn: Connection) => Promise<T>): Promise<T> {
  return db.orm.transaction((tx) => fn(connectionOf(tx)));
}

/** The transaction as a `Connection`, for SQL text with $1…$n placeholders (and `enqueueMail`). */
function connectionOf(tx: Tx): Connection {
  const query = <T>(text: string, params: unknown[] = []) => rowsOf<T>(tx, withParams(text, params));
  return {
    query,
    queryPrepared: query,
    async exec(script) {
      await tx.execute(sql.raw(script));
    },
  };
}

/** `$n` placeholders become bound parameters of a drizzle query (never inlined text). */
function withParams(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`)));
}
