import { type EventType, emitEvent } from '@e3d/commerce';
import type { Tx } from '@e3d/db';

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
  await emitEvent(tx, type, { id, handle, title, status, version });
}
