import { hashOpaqueToken, hashPassword, newOpaqueToken } from '@e3d/auth';
import {
  type CustomerRow,
  type Database,
  type PasswordResetTokenRow,
  type Queryable,
  rows,
  sql,
} from '@e3d/db';
import { enqueueMail } from '@e3d/mail';
import { AppError } from '../../errors.ts';
import type { CustomerAccounts } from './customers.ts';
import { passwordResetEmail } from './emails.ts';
import { inTransaction } from './transaction.ts';

export const RESET_TOKEN_TTL_MINUTES = 60;

/** An active account, which has an email (only closing the account clears it). */
type Reachable = Pick<CustomerRow, 'id'> & { email: string };

const resetTokenInvalid = () =>
  new AppError(
    400,
    'reset_token_invalid',
    'This reset link was already used, has expired or is not one we sent. Ask for a new one.',
  );

/**
 * Uses a reset link (or a staff invitation, which is one) once, while it is still valid:
 * the account it was sent for, or null.
 */
export async function spendToken(
  conn: Queryable,
  subjectType: PasswordResetTokenRow['subject_type'],
  token: string,
): Promise<Pick<PasswordResetTokenRow, 'subject_id'> | null> {
  const [spent] = await rows<Pick<PasswordResetTokenRow, 'subject_id'>>(
    conn,
    sql`UPDATE password_reset_tokens SET used_at = now()
        WHERE token_hash = ${hashOpaqueToken(token)} AND subject_type = ${subjectType} AND used_at IS NULL
          AND expires_at > now()
        RETURNING subject_id`,
  );
  return spent ?? null;
}

/**
 * "Forgot password": a one-time link by email. The token is stored hashed and lives one
 * hour; the answer to a request is the same whether or not the address has an account.
 */
export class PasswordResets {
  constructor(
    private readonly db: Database,
    private readonly accounts: CustomerAccounts,
    private readonly storefrontUrl: string,
  ) {}

  async request(email: string): Promise<void> {
    const [customer] = await rows<Reachable>(
      this.db,
      sql`SELECT id, email FROM customers WHERE email = ${email} AND status = 'active'`,
    );
    if (!customer) return;
    const { token, hash } = newOpaqueToken();
    const link = `${this.storefrontUrl}/account/reset-password?token=${encodeURIComponent(token)}`;
    // The token and its email commit together: no email without a token, no token unsent.
    await inTransaction(this.db, async (conn) => {
      const [row] = await rows<Pick<PasswordResetTokenRow, 'id'>>(
        conn,
        sql`INSERT INTO password_reset_tokens (subject_type, subject_id, token_hash, expires_at)
            VALUES ('customer', ${customer.id}, ${hash}, now() + make_interval(mins => ${RESET_TOKEN_TTL_MINUTES}))
            RETURNING id`,
      );
      await enqueueMail(conn, {
        to: customer.email,
        ...passwordResetEmail(link, RESET_TOKEN_TTL_MINUTES),
        key: `password-reset:${row?.id}`,
      });
    });
  }

  /** Sets the new password; the link is spent, and every session of the account ends. */
  async confirm(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await inTransaction(this.db, async (conn) => {
      const spent = await spendToken(conn, 'customer', token);
      if (!spent) throw resetTokenInvalid();
      const [customer] = await rows<Reachable>(
        conn,
        sql`UPDATE customers SET password_hash = ${passwordHash}
            WHERE id = ${spent.subject_id} AND status = 'active' RETURNING id, email`,
      );
      if (!customer) throw resetTokenInvalid();
      await this.accounts.afterPasswordChange(conn, customer);
    });
  }
}
