import { sql } from '@e3d/db';

/**
 * What counts as a sale, for the dashboard and the customer list alike (SQL over `orders o`).
 *
 * A paid order is one whose payment was authorized or captured and that was not canceled
 * (a canceled order's money went back, or was never taken). Its revenue is what the shop
 * keeps: the captured amount less refunds, or the authorized total while not yet captured.
 */
export const PAID_ORDER = sql`(o.payment_status IN ('authorized', 'captured', 'partially_refunded', 'refunded')
  AND o.status <> 'canceled')`;

export const ORDER_REVENUE = sql`(CASE WHEN o.payment_status = 'authorized' THEN o.grand_total
  ELSE o.amount_captured - o.amount_refunded END)`;

/** The shop currency (the settings row, USD should it be missing): every total is in it. */
export const SHOP_CURRENCY = sql`coalesce((SELECT currency FROM shop_settings WHERE id = 1), 'USD')`;
