import { listOrders } from '@e3d/commerce';
import {
  type AdminCustomer,
  type AdminCustomerList,
  type AdminCustomerQuery,
  type AdminCustomerSummary,
  anonymisedEmail,
} from '@e3d/contracts';
import { type CustomerRow, type Database, type Iso, iso, rows, type SQL, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { AddressBook } from '../accounts/addresses.ts';
import { anonymiseCustomer } from '../accounts/customers.ts';
import type { Sessions } from '../accounts/sessions.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { ORDER_REVENUE, PAID_ORDER, SHOP_CURRENCY } from '../orders/revenue.ts';

/** Orders the detail page lists; `ordersCount` still counts them all. */
const DETAIL_ORDERS = 50;

/** A customer with the order figures of the list and detail pages. */
type CustomerFigures = Iso<
  Pick<CustomerRow, 'id' | 'email' | 'name' | 'status' | 'marketing_opt_in' | 'created_at' | 'updated_at'>
> & {
  created_at_raw: string;
  orders_count: number;
  spent: string | number | null;
  currency: string;
  last_order_at: string | null;
};

/**
 * A page of customers with their order figures: the page is chosen first (keyset on
 * created_at, id), then one aggregate per customer on the page (orders_customer_placed_idx).
 */
const customersQuery = (where: SQL[], limit: number) => sql`
  WITH page AS (
    SELECT c.* FROM customers c ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
    ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit}
  ), shop AS (SELECT ${SHOP_CURRENCY} AS currency)
  SELECT c.id, c.email, c.name, c.status, c.marketing_opt_in, ${iso(sql`c.created_at`)} AS created_at,
    to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_raw,
    ${iso(sql`c.updated_at`)} AS updated_at, shop.currency,
    s.orders_count, s.spent, ${iso(sql`s.last_order_at`)} AS last_order_at
  FROM page c CROSS JOIN shop
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS orders_count, max(o.placed_at) AS last_order_at,
      sum(${ORDER_REVENUE}) FILTER (WHERE ${PAID_ORDER} AND o.currency = shop.currency)::bigint AS spent
    FROM orders o WHERE o.customer_id = c.id
  ) s ON true
  ORDER BY c.created_at DESC, c.id DESC`;

const encodeCursor = (createdAt: string, id: string) =>
  Buffer.from(`${createdAt}|${id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const timestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (
    !createdAt ||
    !id ||
    !timestamp.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt)) ||
    !uuid.test(id)
  ) {
    throw new AppError(400, 'invalid_cursor', 'The cursor is not one this API returned.');
  }
  return { createdAt, id };
}

const notFound = (id: string) => AppError.notFound('customer_not_found', `No customer with id ${id}`);

function toSummary(r: CustomerFigures): AdminCustomerSummary {
  return {
    id: r.id,
    email: r.email ?? anonymisedEmail(r.id),
    name: r.name,
    status: r.status,
    ordersCount: r.orders_count,
    totalSpent: r.spent === null ? null : { amount: Number(r.spent), currency: r.currency },
    lastOrderAt: r.last_order_at,
    createdAt: r.created_at,
  };
}

/** Shopper accounts as staff see them: find, look at, and anonymise on request. */
export class AdminCustomerService {
  private readonly addresses: AddressBook;

  constructor(
    private readonly db: Database,
    private readonly sessions: Sessions,
  ) {
    this.addresses = new AddressBook(db);
  }

  async list(query: AdminCustomerQuery): Promise<AdminCustomerList> {
    const where: SQL[] = [];
    if (query.status) where.push(sql`c.status = ${query.status}::account_status`);
    const q = query.q?.trim();
    if (q) {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(sql`(c.email ILIKE ${like} OR c.name ILIKE ${like})`);
    }
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      where.push(sql`(c.created_at, c.id) < (${c.createdAt}::timestamptz, ${c.id}::uuid)`);
    }
    const found = await rows<CustomerFigures>(this.db, customersQuery(where, query.limit + 1));
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toSummary),
      nextCursor: found.length > query.limit && last ? encodeCursor(last.created_at_raw, last.id) : null,
    };
  }

  async get(id: string): Promise<AdminCustomer> {
    const [row] = await rows<CustomerFigures>(this.db, customersQuery([sql`c.id = ${id}`], 1));
    if (!row) throw notFound(id);
    const [addresses, orders] = await Promise.all([
      this.addresses.list(id),
      listOrders(this.db, { customerId: id, limit: DETAIL_ORDERS }),
    ]);
    const { lastOrderAt: _, ...summary } = toSummary(row);
    return {
      ...summary,
      marketingOptIn: row.marketing_opt_in,
      updatedAt: row.updated_at,
      addresses,
      orders: orders.items,
    };
  }

  /**
   * The same erasure as the customer's own DELETE /api/me, on staff's word; audited with the
   * reason. The audit entry records what was erased in kind (counts), never the data itself.
   */
  async anonymise(ctx: AuditContext, id: string, reason: string): Promise<AdminCustomer> {
    await this.db.transaction(async (conn) => {
      const [customer] = await rows<Pick<CustomerRow, 'status'> & { addresses: number }>(
        conn,
        sql`SELECT c.status, (SELECT count(*)::int FROM customer_addresses a WHERE a.customer_id = c.id) AS addresses
            FROM customers c WHERE c.id = ${id} FOR UPDATE`,
      );
      if (!customer) throw notFound(id);
      if (!(await anonymiseCustomer(conn, this.sessions, id))) {
        throw new AppError(409, 'customer_already_anonymised', 'This customer was already anonymised.');
      }
      await recordAudit(conn, {
        ...ctx,
        action: 'customer.anonymise',
        entityType: 'customer',
        entityId: id,
        before: { status: customer.status, addresses: customer.addresses },
        after: { status: 'deleted', addresses: 0, reason },
      });
    });
    return this.get(id);
  }
}
