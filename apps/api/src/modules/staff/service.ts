import { hashOpaqueToken, newOpaqueToken, type Principal, type Role } from '@e3d/auth';
import type { StaffMember, staffInviteSchema, staffUpdateSchema } from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql, type Tx, uniqueViolation } from '@e3d/db';
import { enqueueMailSql } from '@e3d/mail';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { staffInviteEmail } from './invite-email.ts';

type StaffInvite = z.output<typeof staffInviteSchema>;
type StaffUpdate = z.output<typeof staffUpdateSchema>;

/** An invitation link works for a week; it is a one-time password-setting token. */
export const INVITE_TTL_DAYS = 7;

const memberJson = sql`json_build_object(
  'id', s.id,
  'email', s.email,
  'name', s.name,
  'role', s.role,
  'status', s.status,
  'invited', s.password_hash IS NULL,
  'lastLoginAt', ${iso(sql`s.last_login_at`)},
  'createdAt', ${iso(sql`s.created_at`)},
  'updatedAt', ${iso(sql`s.updated_at`)})`;

async function readMember(conn: Queryable, id: string): Promise<StaffMember | null> {
  const [row] = await rows<{ doc: StaffMember }>(
    conn,
    sql`SELECT ${memberJson} AS doc FROM staff s WHERE s.id = ${id}`,
  );
  return row?.doc ?? null;
}

const ownersOnly = (what: string) => new AppError(403, 'forbidden', `Only an owner can ${what}.`);

/**
 * The shop's team. Owners are protected twice: only an owner may create, change or promote
 * to owner, and the last active owner can be neither demoted nor deactivated, so the shop
 * never locks itself out. Deactivation ends every session of the member at once.
 */
export class StaffService {
  constructor(
    private readonly db: Database,
    private readonly adminUrl: string,
  ) {}

  async list(): Promise<StaffMember[]> {
    const found = await rows<{ doc: StaffMember }>(
      this.db.orm,
      sql`SELECT ${memberJson} AS doc FROM staff s WHERE s.status <> 'deleted'
          ORDER BY array_position(ARRAY['owner', 'admin', 'catalog_editor', 'support']::staff_role[], s.role), s.email`,
    );
    return found.map((r) => r.doc);
  }

  async get(id: string): Promise<StaffMember> {
    const member = await readMember(this.db.orm, id);
    if (!member) throw AppError.notFound('staff_not_found', `No staff member with id ${id}`);
    return member;
  }

  /** Creates the member without a password and emails them a link to choose one. */
  async invite(ctx: AuditContext, input: StaffInvite): Promise<StaffMember> {
    const actor = actorOf(ctx.principal);
    if (input.role === 'owner' && actor.role !== 'owner') throw ownersOnly('invite an owner');
    const { token, hash } = newOpaqueToken();
    try {
      return await this.db.orm.transaction(async (tx) => {
        const [taken] = await rows(tx, sql`SELECT 1 FROM staff WHERE email = ${input.email}`);
        if (taken) throw emailTaken();
        const [row] = await rows<{ id: string }>(
          tx,
          sql`INSERT INTO staff (email, name, role) VALUES (${input.email}, ${input.name}, ${input.role}) RETURNING id`,
        );
        const id = row?.id as string;
        await rows(
          tx,
          sql`INSERT INTO password_reset_tokens (subject_type, subject_id, token_hash, expires_at)
          VALUES ('staff', ${id}, ${hash}, now() + make_interval(days => ${INVITE_TTL_DAYS}))`,
        );
        const [inviter] = await rows<{ label: string }>(
          tx,
          sql`SELECT coalesce(nullif(name, ''), email) AS label FROM staff WHERE id = ${actor.id}`,
        );
        const link = `${this.adminUrl}/accept-invite?token=${encodeURIComponent(token)}`;
        await rows(
          tx,
          enqueueMailSql({
            to: input.email,
            ...staffInviteEmail({
              role: input.role,
              invitedBy: inviter?.label ?? 'A colleague',
              link,
              validDays: INVITE_TTL_DAYS,
            }),
            key: `staff-invite:${hashOpaqueToken(token)}`,
          }),
        );
        const after = (await readMember(tx, id)) as StaffMember;
        await recordAudit(tx, {
          ...ctx,
          action: 'staff.invite',
          entityType: 'staff',
          entityId: id,
          before: null,
          after,
        });
        return after;
      });
    } catch (error) {
      if (uniqueViolation(error) === 'staff_email_key') throw emailTaken();
      throw error;
    }
  }

  async update(ctx: AuditContext, id: string, input: StaffUpdate): Promise<StaffMember> {
    const actor = actorOf(ctx.principal);
    return this.db.orm.transaction(async (tx) => {
      // Staff changes are rare: one at a time, so two owners cannot demote each other at once.
      await rows(tx, sql`SELECT pg_advisory_xact_lock(hashtext('e3d:staff-roles'))`);
      const before = await readMember(tx, id);
      if (!before || before.status === 'deleted') {
        throw AppError.notFound('staff_not_found', `No staff member with id ${id}`);
      }
      if (actor.role !== 'owner' && (before.role === 'owner' || input.role === 'owner')) {
        throw ownersOnly(before.role === 'owner' ? 'change an owner' : 'make someone an owner');
      }
      if (id === actor.id && input.status === 'deactivated') {
        throw new AppError(409, 'cannot_deactivate_self', 'You cannot deactivate your own account.');
      }
      const losesOwner =
        before.role === 'owner' &&
        before.status === 'active' &&
        ((input.role !== undefined && input.role !== 'owner') || input.status === 'deactivated');
      if (losesOwner) await this.keepAnOwner(tx, id);
      await rows(
        tx,
        sql`UPDATE staff SET
          name = coalesce(${input.name ?? null}, name),
          role = coalesce(${input.role ?? null}::staff_role, role),
          status = coalesce(${input.status ?? null}::account_status, status)
        WHERE id = ${id}`,
      );
      if (input.status === 'deactivated') {
        await rows(
          tx,
          sql`UPDATE refresh_tokens SET revoked_at = now()
          WHERE subject_type = 'staff' AND subject_id = ${id} AND revoked_at IS NULL`,
        );
      }
      const after = (await readMember(tx, id)) as StaffMember;
      await recordAudit(tx, {
        ...ctx,
        action: 'staff.update',
        entityType: 'staff',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  private async keepAnOwner(tx: Tx, leaving: string) {
    const [others] = await rows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM staff WHERE role = 'owner' AND status = 'active' AND id <> ${leaving}`,
    );
    if ((others?.n ?? 0) === 0) {
      throw new AppError(
        409,
        'last_owner',
        'This is the last active owner: make someone else an owner first.',
      );
    }
  }
}

function actorOf(principal: Principal): { id: string; role: Role } {
  if (principal.type !== 'staff') throw new AppError(403, 'forbidden', 'This route is for staff.');
  return principal;
}

const emailTaken = () =>
  new AppError(409, 'email_taken', 'email is used by another staff member', [
    { field: 'email', message: 'is used by another staff member' },
  ]);
