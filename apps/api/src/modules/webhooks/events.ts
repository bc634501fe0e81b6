import { type EventType, emitEvent } from '@e3d/commerce';
import { type Connection, rows, type SQL, sql, type Tx } from '@e3d/db';

/** `$1`-style text and params as a drizzle SQL (each `$n` one bound parameter, arrays included). */
function toSql(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  return sql.join(
    parts.map((part, i) => (i % 2 === 0 ? sql.raw(part) : sql.param(params[Number(part) - 1]))),
  );
}

/**
 * A drizzle transaction seen as a `Connection`, so the commerce event functions (written
 * for raw sessions) run inside a catalog or settings write and commit or roll back with it.
 */
export function txConnection(tx: Tx): Connection {
  const query = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    rows<T>(tx, toSql(text, params));
  return {
    query,
    queryPrepared: query,
    async exec(script: string) {
      await tx.execute(sql.raw(script));
    },
  };
}

/** What a product.* event carries. */
export interface ProductEventData {
  id: string;
  handle: string;
  title: string;
  status: string;
  version: number;
}

/**
 * Emits product.created / updated / deleted in the caller's transaction: subscribed endpoints
 * hear of the change if and only if it commits.
 */
export async function emitProductEvent(
  tx: Tx,
  type: Extract<EventType, `product.${string}`>,
  product: ProductEventData,
): Promise<void> {
  const { id, handle, title, status, version } = product;
  await emitEvent(txConnection(tx), type, { id, handle, title, status, version });
}
