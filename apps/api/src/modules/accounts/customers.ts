import { hashPassword, verifyPassword } from '@e3d/auth';
import type { CustomerProfile, RegisterRequest, UpdateProfile } from '@e3d/contracts';
import { type Connection, type CustomerRow, type Database, rows, sql } from '@e3d/db';
import { enqueueMail } from '@e3d/mail';
import { AppError } from '../../errors.ts';
import { passwordChangedEmail } from './emails.ts';
import type { ClientInfo, IssuedTokens, ResolvePrincipal, Sessions } from './sessions.ts';
import { inTransaction } from './transaction.ts';

/** An active account's email is set: only closing the account clears it. */
type ProfileRow = Pick<CustomerRow, 'id' | 'name' | 'marketing_opt_in' | 'created_at'> & { email: string };

const PROFILE_COLUMNS = sql`id, email, name, marketing_opt_in, created_at`;

/** The same answer for an unknown email and a wrong password. */
export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The email or the password is not right.');

const accountInactive = () => new AppError(401, 'account_inactive', 'This account is closed or deactivated.');
const wrongPassword = () => new AppError(403, 'wrong_password', 'The current password is not right.');

export const toIso = (value: Date | string) => new Date(value).toISOString();

function toProfile(row: ProfileRow): CustomerProfile {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    marketingOptIn: row.marketing_opt_in,
    createdAt: toIso(row.created_at),
  };
}

/** Shopper accounts: sign-up, sign-in, profile, password change, closing the account. */
export class CustomerAccounts {
  constructor(
    private readonly db: Database,
    private readonly sessions: Sessions,
  ) {}

  /** A refresh may continue only while the account is active. */
  readonly resolve: ResolvePrincipal = async (conn, id) => {
    const [row] = await rows(conn, sql`SELECT 1 FROM customers WHERE id = ${id} AND status = 'active'`);
    return row ? { type: 'customer', id } : null;
  };

  async register(input: RegisterRequest, client: ClientInfo): Promise<IssuedTokens> {
    // Hashing comes first either way, so a taken address answers no faster than a new one.
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.db, async (conn) => {
      const [row] = await rows<Pick<CustomerRow, 'id'>>(
        conn,
        sql`INSERT INTO customers (email, password_hash, name) VALUES (${input.email}, ${passwordHash}, ${input.name})
            ON CONFLICT (email) DO NOTHING RETURNING id`,
      );
      if (!row) {
        throw new AppError(
          409,
          'email_taken',
          'An account with this email exists: sign in, or reset its password.',
        );
      }
      return this.sessions.start(conn, { type: 'customer', id: row.id }, client);
    });
  }

  async login(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedTokens> {
    const [row] = await rows<Pick<CustomerRow, 'id' | 'password_hash' | 'status'>>(
      this.db,
      sql`SELECT id, password_hash, status FROM customers WHERE email = ${input.email}`,
    );
    // verifyPassword does the same work when there is no account.
    const ok = await verifyPassword(row?.password_hash ?? null, input.password);
    if (!row || !ok) throw invalidCredentials();
    if (row.status !== 'active') throw accountInactive();
    return this.sessions.start(this.db, { type: 'customer', id: row.id }, client);
  }

  async profile(id: string): Promise<CustomerProfile> {
    const [row] = await rows<ProfileRow>(
      this.db,
      sql`SELECT ${PROFILE_COLUMNS} FROM customers WHERE id = ${id} AND status = 'active'`,
    );
    if (!row) throw accountInactive();
    return toProfile(row);
  }

  async updateProfile(id: string, patch: UpdateProfile): Promise<CustomerProfile> {
    const [row] = await rows<ProfileRow>(
      this.db,
      sql`UPDATE customers SET name = coalesce(${patch.name ?? null}, name),
            marketing_opt_in = coalesce(${patch.marketingOptIn ?? null}, marketing_opt_in)
          WHERE id = ${id} AND status = 'active' RETURNING ${PROFILE_COLUMNS}`,
    );
    if (!row) throw accountInactive();
    return toProfile(row);
  }

  /** Needs the current password; every other session is signed out. */
  async changePassword(
    id: string,
    input: { currentPassword: string; newPassword: string },
    keepRefreshToken: string | null,
  ): Promise<void> {
    const account = await this.checkPassword(id, input.currentPassword);
    const passwordHash = await hashPassword(input.newPassword);
    await inTransaction(this.db, async (conn) => {
      await rows(conn, sql`UPDATE customers SET password_hash = ${passwordHash} WHERE id = ${id}`);
      await this.afterPasswordChange(conn, { id, email: account.email }, keepRefreshToken);
    });
  }

  /**
   * Closes the account: personal data goes (email, name, password, addresses), every session
   * ends; the row stays so orders keep their customer.
   */
  async deleteAccount(id: string, password: string): Promise<void> {
    await this.checkPassword(id, password);
    await inTransaction(this.db, (conn) => anonymiseCustomer(conn, this.sessions, id));
  }

  /** What follows any new password: old reset links die, sessions end, the owner is told. */
  async afterPasswordChange(
    conn: Connection,
    customer: { id: string; email: string },
    keepRefreshToken: string | null = null,
  ): Promise<void> {
    await expireResetTokens(conn, customer.id);
    await this.sessions.endAll(conn, { type: 'customer', id: customer.id }, keepRefreshToken);
    await enqueueMail(conn, { to: customer.email, ...passwordChangedEmail() });
  }

  private async checkPassword(id: string, password: string): Promise<{ email: string }> {
    const [row] = await rows<Pick<ProfileRow, 'email'> & Pick<CustomerRow, 'password_hash'>>(
      this.db,
      sql`SELECT email, password_hash FROM customers WHERE id = ${id} AND status = 'active'`,
    );
    if (!row) throw accountInactive();
    if (!(await verifyPassword(row.password_hash, password))) throw wrongPassword();
    return row;
  }
}

/**
 * Closing an account, whoever asks (the customer with DELETE /api/me, or staff honouring an
 * erasure request): personal data goes (email, name, password, marketing consent, addresses),
 * reset links die and every session ends, on the caller's transaction. The row stays, status
 * `deleted`, so orders keep their customer; orders themselves are accounting records and are
 * left as they are. False when the account was already closed (or does not exist).
 */
export async function anonymiseCustomer(conn: Connection, sessions: Sessions, id: string): Promise<boolean> {
  const closed = await rows(
    conn,
    sql`UPDATE customers SET email = NULL, name = '', password_hash = NULL, marketing_opt_in = false,
          status = 'deleted', deleted_at = now()
        WHERE id = ${id} AND status <> 'deleted' RETURNING id`,
  );
  if (closed.length === 0) return false;
  await rows(conn, sql`DELETE FROM customer_addresses WHERE customer_id = ${id}`);
  await expireResetTokens(conn, id);
  await sessions.endAll(conn, { type: 'customer', id });
  return true;
}

function expireResetTokens(conn: Connection, customerId: string) {
  return rows(
    conn,
    sql`UPDATE password_reset_tokens SET used_at = now()
        WHERE subject_type = 'customer' AND subject_id = ${customerId} AND used_at IS NULL`,
  );
}
