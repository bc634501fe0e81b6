import { hashPassword, ROLE_PERMISSIONS, verifyPassword } from '@e3d/auth';
import type { StaffProfile } from '@e3d/contracts';
import { type Database, rows, type StaffRow, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { invalidCredentials, toIso } from './customers.ts';
import { spendToken } from './password-reset.ts';
import type { ClientInfo, IssuedTokens, ResolvePrincipal, Sessions } from './sessions.ts';
import { inTransaction } from './transaction.ts';

const staffInactive = () => new AppError(401, 'account_inactive', 'This staff account is not active.');

/**
 * Staff sign-in: a separate table and separate tokens from customers. Access tokens carry
 * the role; refreshes re-read it, so a role change applies within one access-token lifetime.
 */
export class StaffAccounts {
  constructor(
    private readonly db: Database,
    private readonly sessions: Sessions,
  ) {}

  readonly resolve: ResolvePrincipal = async (conn, id) => {
    const [row] = await rows<Pick<StaffRow, 'role'>>(
      conn,
      sql`SELECT role FROM staff WHERE id = ${id} AND status = 'active'`,
    );
    return row ? { type: 'staff', id, role: row.role } : null;
  };

  async login(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedTokens> {
    const [row] = await rows<Pick<StaffRow, 'id' | 'password_hash' | 'role' | 'status'>>(
      this.db,
      sql`SELECT id, password_hash, role, status FROM staff WHERE email = ${input.email}`,
    );
    const ok = await verifyPassword(row?.password_hash ?? null, input.password);
    if (!row || !ok) throw invalidCredentials();
    if (row.status !== 'active') throw staffInactive();
    return inTransaction(this.db, async (conn) => {
      await rows(conn, sql`UPDATE staff SET last_login_at = now() WHERE id = ${row.id}`);
      return this.sessions.start(conn, { type: 'staff', id: row.id, role: row.role }, client);
    });
  }

  /**
   * An invited member chooses their password with the emailed token (staff invites store it
   * in password_reset_tokens). The token works once; then they sign in as usual.
   */
  async acceptInvite(token: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await inTransaction(this.db, async (conn) => {
      const spent = await spendToken(conn, 'staff', token);
      const [member] = spent
        ? await rows<Pick<StaffRow, 'id'>>(
            conn,
            sql`UPDATE staff SET password_hash = ${passwordHash}
                WHERE id = ${spent.subject_id} AND status = 'active' RETURNING id`,
          )
        : [];
      if (!member) {
        throw new AppError(
          400,
          'invite_token_invalid',
          'This invitation was already used, has expired or is not one we sent. Ask an owner or admin for a new one.',
        );
      }
      await rows(
        conn,
        sql`UPDATE password_reset_tokens SET used_at = now()
            WHERE subject_type = 'staff' AND subject_id = ${member.id} AND used_at IS NULL`,
      );
      await this.sessions.endAll(conn, { type: 'staff', id: member.id });
    });
  }

  async profile(id: string): Promise<StaffProfile> {
    const [row] = await rows<Pick<StaffRow, 'id' | 'email' | 'name' | 'role' | 'status' | 'last_login_at'>>(
      this.db,
      sql`SELECT id, email, name, role, status, last_login_at FROM staff WHERE id = ${id}`,
    );
    if (row?.status !== 'active') throw staffInactive();
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      permissions: [...ROLE_PERMISSIONS[row.role]],
      lastLoginAt: row.last_login_at ? toIso(row.last_login_at) : null,
    };
  }
}
