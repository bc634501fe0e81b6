import type { AuditEntry, AuditLogQuery } from '@e3d/contracts';
import { type AuditLogRow, type Database, type Iso, iso, rows, type SQL, sql } from '@e3d/db';
import { AppError } from '../../errors.ts';

/** Cursors are the last id seen: entries only ever append, so the id orders them for good. */
const encodeCursor = (id: number) => Buffer.from(`audit:${id}`).toString('base64url');

function decodeCursor(raw: string): number {
  const match = /^audit:(\d{1,18})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!match) throw AppError.invalid('cursor', 'is not a cursor this API issued');
  return Number(match[1]);
}

/** Reads the append-only audit log, newest first. */
export class AuditService {
  constructor(private readonly db: Database) {}

  async list(query: AuditLogQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const where: SQL[] = [sql`true`];
    if (query.entityType) where.push(sql`entity_type = ${query.entityType}`);
    if (query.entityId) where.push(sql`entity_id = ${query.entityId}`);
    if (query.staffId) where.push(sql`staff_id = ${query.staffId}`);
    if (query.action) where.push(sql`action = ${query.action}`);
    if (query.from) where.push(sql`created_at >= ${query.from}::timestamptz`);
    if (query.to) where.push(sql`created_at < ${query.to}::timestamptz`);
    if (query.cursor) where.push(sql`id < ${decodeCursor(query.cursor)}`);
    const found = await rows<Iso<AuditLogRow>>(
      this.db.orm,
      sql`SELECT id, staff_id, staff_email, action, entity_type, entity_id, before, after, request_id, ip,
            ${iso(sql`created_at`)} AS created_at
          FROM audit_log WHERE ${sql.join(where, sql` AND `)}
          ORDER BY id DESC LIMIT ${query.limit + 1}`,
    );
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        staffId: r.staff_id,
        staffEmail: r.staff_email,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        before: r.before ?? null,
        after: r.after ?? null,
        requestId: r.request_id,
        ip: r.ip,
        createdAt: r.created_at,
      })),
      nextCursor: found.length > query.limit && last ? encodeCursor(Number(last.id)) : null,
    };
  }
}
