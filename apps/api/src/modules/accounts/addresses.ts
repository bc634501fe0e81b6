import type { Address, AddressInput, AddressUpdate } from '@e3d/contracts';
import type { Connection, Database } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { toIso } from './customers.ts';
import { inTransaction } from './transaction.ts';

/** More than any shopper needs; a bound on what one account can store. */
export const MAX_ADDRESSES = 50;

interface AddressRow {
  id: string;
  name: string;
  company: string | null;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string;
  country: string;
  phone: string | null;
  is_default_shipping: boolean;
  is_default_billing: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

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
const RETURNING = `id, ${Object.values(COLUMN).join(', ')}, created_at, updated_at`;

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
    const rows = await this.db.query<AddressRow>(
      `SELECT ${RETURNING} FROM customer_addresses WHERE customer_id = $1
        ORDER BY is_default_shipping DESC, is_default_billing DESC, created_at, id`,
      [customerId],
    );
    return rows.map(toAddress);
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
      const columns = FIELDS.map((f) => COLUMN[f]);
      const [row] = await conn.query<AddressRow>(
        `INSERT INTO customer_addresses (customer_id, ${columns.join(', ')})
         VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING ${RETURNING}`,
        [customerId, ...FIELDS.map((f) => values[f] ?? null)],
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
      const [row] = await conn.query<AddressRow>(
        fields.length === 0
          ? `SELECT ${RETURNING} FROM customer_addresses WHERE id = $1 AND customer_id = $2`
          : `UPDATE customer_addresses SET ${fields.map((f, i) => `${COLUMN[f]} = $${i + 3}`).join(', ')}
              WHERE id = $1 AND customer_id = $2 RETURNING ${RETURNING}`,
        [id, customerId, ...fields.map((f) => patch[f])],
      );
      if (!row) throw addressNotFound(id);
      return toAddress(row);
    });
  }

  async delete(customerId: string, id: string): Promise<void> {
    const [row] = await this.db.query(
      'DELETE FROM customer_addresses WHERE id = $1 AND customer_id = $2 RETURNING id',
      [id, customerId],
    );
    if (!row) throw addressNotFound(id);
  }
}

/**
 * Serialises writes to one customer's book (so two requests cannot both make a default) and
 * checks the account is still open. Returns how many addresses the book holds.
 */
async function lockBook(conn: Connection, customerId: string): Promise<number> {
  const [customer] = await conn.query(
    `SELECT 1 FROM customers WHERE id = $1 AND status = 'active' FOR UPDATE`,
    [customerId],
  );
  if (!customer) throw new AppError(401, 'account_inactive', 'This account is closed or deactivated.');
  const [row] = await conn.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM customer_addresses WHERE customer_id = $1',
    [customerId],
  );
  return row?.count ?? 0;
}

async function unsetOtherDefaults(
  conn: Connection,
  customerId: string,
  keepId: string | null,
  values: { isDefaultShipping?: boolean | undefined; isDefaultBilling?: boolean | undefined },
) {
  for (const [field, column] of [
    ['isDefaultShipping', 'is_default_shipping'],
    ['isDefaultBilling', 'is_default_billing'],
  ] as const) {
    if (values[field] !== true) continue;
    await conn.query(
      `UPDATE customer_addresses SET ${column} = false
        WHERE customer_id = $1 AND ${column} AND id IS DISTINCT FROM $2`,
      [customerId, keepId],
    );
  }
}
