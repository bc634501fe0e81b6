import { z } from 'zod';

export const auditLogQuerySchema = z
  .object({
    entityType: z.string().min(1).max(50).optional().describe('e.g. product, variant, category, staff'),
    entityId: z.string().min(1).max(100).optional(),
    staffId: z.uuid().optional(),
    action: z.string().min(1).max(100).optional().describe('e.g. product.update'),
    from: z.iso.datetime({ offset: true }).optional().describe('Entries at or after this time'),
    to: z.iso.datetime({ offset: true }).optional().describe('Entries before this time'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(100).optional().describe('`nextCursor` of the previous page'),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'must not be after to',
    path: ['from'],
  });

export type AuditLogQuery = z.output<typeof auditLogQuerySchema>;

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    staffId: z.string().nullable(),
    staffEmail: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown().describe('The entity before the write (null for a creation)'),
    after: z.unknown().describe('The entity after the write (null for a deletion)'),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export type AuditEntry = z.output<typeof auditEntrySchema>;

export const auditLogSchema = z
  .object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditLog' });
