import { hashOpaqueToken, hashPassword, ROLE_PERMISSIONS, type Role, verifyPassword } from '@e3d/auth';
import type { StaffProfile } from '@e3d/contracts';
import type { Database } from '@e3d/db';
import { AppError } from '../../errors.ts';
import { invalidCredentials, toIso } from './customers.ts';
import type { ClientInfo, IssuedTokens, ResolvePrincipal, Sessions } from './sessions.ts';
import { inTransaction } from './transaction.ts';

interface StaffRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: string;
  last_login_at: Date | string | null;
}

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
    const [row] = await conn.query<{ role: Role }>(
      `SELECT role FROM staff WHERE id = $1 AND status = 'active'`,
      [id],
    );
    return row ? { type: 'staff', id, role: row.role } : null;
  };

  async login(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedTokens> {
    const [row] = await this.db.query<{
      id: string;
      password_hash: string | null;
      role: Role;
      status: string;
    }>('SELECT id, password_hash, role, status FROM staff WHERE email = $1', [input.email]);
    const ok = await verifyPassword(row?.password_hash ?? null, input.password);
    if (!row || !ok) throw invalidCredentials();
    if (row.status !== 'active') throw staffInactive();
    return inTransaction(this.db, async (conn) => {
      await conn.query('UPDATE staff SET last_login_at = now() WHERE id = $1', [row.id]);
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
      const [spent] = await conn.query<{ subject_id: string }>(
        `UPDATE password_reset_tokens SET used_at = now()
          WHERE token_hash = $1 AND subject_type = 'staff' AND used_at IS NULL AND expires_at > now()
          RETURNING subject_id`,
        [hashOpaqueToken(token)],
      );
      const [member] = spent
        ? await conn.query<{ id: string }>(
            `UPDATE staff SET password_hash = $2 WHERE id = $1 AND status = 'active' RETURNING id`,
            [spent.subject_id, passwordHash],
          )
        : [];
      if (!member) {
        throw new AppError(
          400,
          'invite_token_invalid',
          'This invitation was already used, has expired or is not one we sent. Ask an owner or admin for a new one.',
        );
      }
      await conn.query(
        `UPDATE password_reset_tokens SET used_at = now()
          WHERE subject_type = 'staff' AND subject_id = $1 AND used_at IS NULL`,
        [member.id],
      );
      await this.sessions.endAll(conn, { type: 'staff', id: member.id });
    });
  }

  async profile(id: string): Promise<StaffProfile> {
    const [row] = await this.db.query<StaffRow>(
      'SELECT id, email, name, role, status, last_login_at FROM staff WHERE id = $1',
      [id],
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
