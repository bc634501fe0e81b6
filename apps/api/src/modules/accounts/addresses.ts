import type { Address, AddressInput, AddressUpdate } from '@e3d/contracts';
import { type Connection, type CustomerAddressRow, type Database, rows, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { toIso } from './customers.ts';
import { inTransaction } from './transaction.ts';

/** More than any shopper needs; a bound on what one account can store. */
export const MAX_ADDRESSES = 50;

type AddressRow = Omit<CustomerAddressRow, 'customer_id'>;

/** API field → column, for the fields a client may write. */
const COLUMN: Record<keyof AddressUpdate, string> = {
  name: 'name',
  company: 'company',
  line1: 'line1',
  line2: 'line2',
  city: 'city',
  region: 'region',
  postalCode: 'postal_code',
  country: 'country',
  phone: 'phone',
  isDefaultShipping: 'is_default_shipping',
  isDefaultBilling: 'is_default_billing',
};
const FIELDS = Object.keys(COLUMN) as (keyof AddressUpdate)[];
const column = (field: keyof AddressUpdate) => sql.identifier(COLUMN[field]);
const RETURNING = sql.raw(`id, ${Object.values(COLUMN).join(', ')}, created_at, updated_at`);

function toAddress(row: AddressRow): Address {
  return {
    id: row.id,
    name: row.name,
    company: row.company,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    region: row.region,
    postalCode: row.postal_code,
    country: row.country,
    phone: row.phone,
    isDefaultShipping: row.is_default_shipping,
    isDefaultBilling: row.is_default_billing,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

const addressNotFound = (id: string) =>
  AppError.notFound('address_not_found', `You have no address with id ${id}`);

/**
 * A customer's address book. At most one default shipping and one default billing address:
 * a new default replaces the previous one; the first address is both until told otherwise.
 */
export class AddressBook {
  constructor(private readonly db: Database) {}

  async list(customerId: string): Promise<Address[]> {
    const found = await rows<AddressRow>(
      this.db,
      sql`SELECT ${RETURNING} FROM customer_addresses WHERE customer_id = ${customerId}
          ORDER BY is_default_shipping DESC, is_default_billing DESC, created_at, id`,
    );
    return found.map(toAddress);
  }

  async create(customerId: string, input: AddressInput): Promise<Address> {
    return inTransaction(this.db, async (conn) => {
      const count = await lockBook(conn, customerId);
      if (count >= MAX_ADDRESSES) {
        throw new AppError(409, 'address_limit', `An address book holds at most ${MAX_ADDRESSES} addresses.`);
      }
      const values = {
        ...input,
        isDefaultShipping: input.isDefaultShipping ?? count === 0,
        isDefaultBilling: input.isDefaultBilling ?? count === 0,
      };
      await unsetOtherDefaults(conn, customerId, null, values);
      const [row] = await rows<AddressRow>(
        conn,
        sql`INSERT INTO customer_addresses (customer_id, ${sql.join(FIELDS.map(column), sql`, `)})
            VALUES (${customerId}, ${sql.join(
              FIELDS.map((f) => sql`${values[f] ?? null}`),
              sql`, `,
            )}) RETURNING ${RETURNING}`,
      );
      if (!row) throw new Error('insert returned no row');
      return toAddress(row);
    });
  }

  async update(customerId: string, id: string, patch: AddressUpdate): Promise<Address> {
    return inTransaction(this.db, async (conn) => {
      await lockBook(conn, customerId);
      const fields = FIELDS.filter((f) => patch[f] !== undefined);
      await unsetOtherDefaults(conn, customerId, id, patch);
      const mine = sql`id = ${id} AND customer_id = ${customerId}`;
      const [row] = await rows<AddressRow>(
        conn,
        fields.length === 0
          ? sql`SELECT ${RETURNING} FROM customer_addresses WHERE ${mine}`
          : sql`UPDATE customer_addresses
                SET ${sql.join(
                  fields.map((f) => sql`${column(f)} = ${patch[f]}`),
                  sql`, `,
                )}
                WHERE ${mine} RETURNING ${RETURNING}`,
      );
      if (!row) throw addressNotFound(id);
      return toAddress(row);
    });
  }

  async delete(customerId: string, id: string): Promise<void> {
    const [row] = await rows(
      this.db,
      sql`DELETE FROM customer_addresses WHERE id = ${id} AND customer_id = ${customerId} RETURNING id`,
    );
    if (!row) throw addressNotFound(id);
  }
}

/**
 * Serialises writes to one customer's book (so two requests cannot both make a default) and
 * checks the account is still open. Returns how many addresses the book holds.
 */
async function lockBook(conn: Connection, customerId: string): Promise<number> {
  const [customer] = await rows(
    conn,
    sql`SELECT 1 FROM customers WHERE id = ${customerId} AND status = 'active' FOR UPDATE`,
  );
  if (!customer) throw new AppError(401, 'account_inactive', 'This account is closed or deactivated.');
  const [row] = await rows<{ count: number }>(
    conn,
    sql`SELECT count(*)::int AS count FROM customer_addresses WHERE customer_id = ${customerId}`,
  );
  return row?.count ?? 0;
}

async function unsetOtherDefaults(
  conn: Connection,
  customerId: string,
  keepId: string | null,
  values: { isDefaultShipping?: boolean | undefined; isDefaultBilling?: boolean | undefined },
) {
  for (const field of ['isDefaultShipping', 'isDefaultBilling'] as const) {
    if (values[field] !== true) continue;
    await rows(
      conn,
      sql`UPDATE customer_addresses SET ${column(field)} = false
          WHERE customer_id = ${customerId} AND ${column(field)} AND id IS DISTINCT FROM ${keepId}::uuid`,
    );
  }
}
