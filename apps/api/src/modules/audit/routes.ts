import { auditLogQuerySchema, auditLogSchema, problemSchema } from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireStaff } from '../../plugins/auth.ts';
import { AuditService } from './service.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** The audit log under /api/admin: every staff write, who made it, before and after. */
export async function auditRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = new AuditService(db);

  api.get(
    '/audit-log',
    {
      onRequest: requireStaff(db, 'audit:read'),
      schema: {
        tags: ['audit'],
        security,
        summary: 'Staff writes, newest first, with what each changed',
        description:
          'Filters combine with AND; `from` is inclusive, `to` exclusive. Cursor-paginated with `nextCursor`.',
        querystring: auditLogQuerySchema,
        response: { 200: auditLogSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => service.list(request.query),
  );
}
