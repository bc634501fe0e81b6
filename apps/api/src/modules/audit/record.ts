import type { Principal } from '@e3d/auth';
import { type Queryable, rows, sql } from '@e3d/db';
import type { FastifyRequest } from 'fastify';

/** Who wrote, from where: what every staff write hands to its service for the audit log. */
export interface AuditContext {
  principal: Principal;
  requestId: string;
  ip: string | null;
}

export interface AuditRecord extends AuditContext {
  /** `<entity>.<verb>`, e.g. product.update, variant.bulk_update, staff.invite. */
  action: string;
  entityType: string;
  entityId: string | null;
  /** The entity before the write; null for a creation. */
  before: unknown;
  /** The entity after the write; null for a deletion. */
  after: unknown;
}

/** A drizzle transaction (or the ORM), or one of our raw sessions inside BEGIN … COMMIT. */
export type AuditWriter = Queryable;

export function auditContext(request: FastifyRequest): AuditContext {
  if (!request.principal) throw new Error('auditContext needs an authenticated request');
  return { principal: request.principal, requestId: String(request.id), ip: request.ip ?? null };
}

/**
 * Appends to the audit log on the caller's connection, so the entry commits with the change
 * it describes or not at all. The staff email is copied in, so the entry still reads right
 * after the member is renamed or removed. Several records go in one statement.
 */
export async function recordAudit(conn: AuditWriter, records: AuditRecord | AuditRecord[]): Promise<void> {
  const list = Array.isArray(records) ? records : [records];
  if (list.length === 0) return;
  const entries = list.map((r, i) => ({
    ord: i,
    staff_id: r.principal.type === 'staff' ? r.principal.id : null,
    action: r.action,
    entity_type: r.entityType,
    entity_id: r.entityId,
    before: r.before ?? null,
    after: r.after ?? null,
    request_id: r.requestId,
    ip: r.ip,
  }));
  await rows(
    conn,
    sql`
    INSERT INTO audit_log (staff_id, staff_email, action, entity_type, entity_id, before, after, request_id, ip)
    SELECT x.staff_id, coalesce(s.email, ''), x.action, x.entity_type, x.entity_id,
      nullif(x.before, 'null'::jsonb), nullif(x.after, 'null'::jsonb), x.request_id, x.ip
    FROM jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) AS x(ord int, staff_id uuid, action text,
      entity_type text, entity_id text, before jsonb, after jsonb, request_id text, ip text)
    LEFT JOIN staff s ON s.id = x.staff_id
    ORDER BY x.ord`,
  );
}
