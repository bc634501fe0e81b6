import { can, type Role } from '@e3d/auth';
import { type Dashboard, LOW_STOCK_THRESHOLD } from '@e3d/contracts';
import { type Database, iso, rows, sql } from '@e3d/db';
import { ORDER_REVENUE, PAID_ORDER, SHOP_CURRENCY } from '../orders/revenue.ts';

const DAY_MS = 86_400_000;
const BEST_SELLERS = 5;
const LIST_MAX = 10;

/** UTC midnight of the day `ms` falls on. */
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The admin home page: sales over the last `days` days (today included, UTC days), best
 * sellers, variants running out and media that failed processing. A handful of aggregate
 * queries whatever the number of orders; a section the role may not see is not queried.
 */
export class DashboardService {
  constructor(private readonly db: Database) {}

  async get(role: Role, days: number, now = Date.now()): Promise<Dashboard> {
    const seesSales = can(role, 'orders:read');
    const seesCatalog = can(role, 'catalog:read');
    const [currency, sales, bestSellers, lowStock, failedMedia] = await Promise.all([
      this.currency(),
      seesSales ? this.sales(days, now) : null,
      seesSales ? this.bestSellers(days, now) : null,
      seesCatalog ? this.lowStock() : null,
      seesCatalog ? this.failedMedia() : null,
    ]);
    return { days, currency, sales, bestSellers, lowStock, failedMedia };
  }

  private async currency(): Promise<string> {
    const [row] = await rows<{ currency: string }>(this.db, sql`SELECT ${SHOP_CURRENCY} AS currency`);
    return row?.currency ?? 'USD';
  }

  /** One GROUP BY day over both periods; days without orders are filled in here. */
  private async sales(days: number, now: number): Promise<NonNullable<Dashboard['sales']>> {
    const firstDay = dayStart(now) - (days - 1) * DAY_MS;
    const previousFirstDay = firstDay - days * DAY_MS;
    const from = new Date(previousFirstDay).toISOString();
    const to = new Date(firstDay + days * DAY_MS).toISOString();
    const found = await rows<{ day: string; revenue: string | number; orders: number }>(
      this.db,
      sql`SELECT to_char((o.placed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
              sum(${ORDER_REVENUE})::bigint AS revenue, count(*)::int AS orders
         FROM orders o
        WHERE ${PAID_ORDER} AND o.currency = ${SHOP_CURRENCY}
          AND o.placed_at >= ${from}::timestamptz AND o.placed_at < ${to}::timestamptz
        GROUP BY 1`,
    );
    const byDay = new Map(found.map((r) => [r.day, { revenue: Number(r.revenue), orders: r.orders }]));
    const dayAt = (ms: number) => {
      const date = dateOf(ms);
      return { date, ...(byDay.get(date) ?? { revenue: 0, orders: 0 }) };
    };
    const series = Array.from({ length: days }, (_, i) => dayAt(firstDay + i * DAY_MS));
    const previous = Array.from({ length: days }, (_, i) => dayAt(previousFirstDay + i * DAY_MS));
    const sum = (list: { revenue: number; orders: number }[]) => ({
      revenue: list.reduce((a, d) => a + d.revenue, 0),
      orders: list.reduce((a, d) => a + d.orders, 0),
    });
    const totals = sum(series);
    return {
      series,
      totals: {
        ...totals,
        averageOrderValue: totals.orders > 0 ? Math.round(totals.revenue / totals.orders) : 0,
      },
      previousTotals: sum(previous),
    };
  }

  private async bestSellers(days: number, now: number): Promise<NonNullable<Dashboard['bestSellers']>> {
    const since = dayStart(now) - (days - 1) * DAY_MS;
    const found = await rows<{
      product_id: string;
      title: string;
      handle: string;
      quantity: number;
      revenue: string | number;
    }>(
      this.db,
      sql`SELECT l.product_id, coalesce(p.title, max(l.product_title)) AS title, coalesce(p.handle, '') AS handle,
              sum(l.quantity)::int AS quantity, sum(l.total)::bigint AS revenue
         FROM orders o
         JOIN order_lines l ON l.order_id = o.id
         LEFT JOIN products p ON p.id = l.product_id
        WHERE ${PAID_ORDER} AND o.currency = ${SHOP_CURRENCY}
          AND o.placed_at >= ${new Date(since).toISOString()}::timestamptz
          AND l.product_id IS NOT NULL
        GROUP BY l.product_id, p.title, p.handle
        ORDER BY quantity DESC, revenue DESC, title, l.product_id
        LIMIT ${BEST_SELLERS}`,
    );
    return found.map((r) => ({
      productId: r.product_id,
      title: r.title,
      handle: r.handle,
      quantity: r.quantity,
      revenue: Number(r.revenue),
    }));
  }

  private async lowStock(): Promise<NonNullable<Dashboard['lowStock']>> {
    const found = await rows<{
      product_id: string;
      product_title: string;
      variant_id: string;
      variant_title: string;
      sku: string | null;
      stock: number;
    }>(
      this.db,
      sql`SELECT p.id AS product_id, p.title AS product_title, v.id AS variant_id, v.title AS variant_title,
              v.sku, v.stock_on_hand AS stock
         FROM product_variants v JOIN products p ON p.id = v.product_id
        WHERE p.status <> 'archived' AND NOT v.allow_backorder AND v.stock_on_hand <= ${LOW_STOCK_THRESHOLD}
        ORDER BY v.stock_on_hand, p.title, v.position, v.sku
        LIMIT ${LIST_MAX}`,
    );
    return found.map((r) => ({
      productId: r.product_id,
      productTitle: r.product_title,
      variantId: r.variant_id,
      variantTitle: r.variant_title,
      sku: r.sku,
      stock: r.stock,
    }));
  }

  private async failedMedia(): Promise<NonNullable<Dashboard['failedMedia']>> {
    const found = await rows<{
      id: string;
      product_id: string;
      product_title: string;
      kind: 'image' | 'model';
      filename: string | null;
      failure_code: string;
      failure_message: string | null;
      created_at: string;
    }>(
      this.db,
      sql`SELECT m.id, m.product_id, p.title AS product_title, m.kind, m.upload_filename AS filename,
              m.failure_code, m.failure_message, ${iso(sql`m.created_at`)} AS created_at
         FROM product_media m JOIN products p ON p.id = m.product_id
        WHERE m.status = 'failed'
        ORDER BY m.created_at DESC, m.id DESC
        LIMIT ${LIST_MAX}`,
    );
    return found.map((r) => ({
      mediaId: r.id,
      productId: r.product_id,
      productTitle: r.product_title,
      kind: r.kind,
      filename: r.filename,
      failure: { code: r.failure_code, message: r.failure_message ?? '' },
      createdAt: r.created_at,
    }));
  }
}
