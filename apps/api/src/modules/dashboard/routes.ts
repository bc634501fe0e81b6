import { dashboardQuerySchema, dashboardSchema, problemSchema } from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireStaff } from '../../plugins/auth.ts';
import { DashboardService } from './service.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** The admin home page under /api/admin. */
export async function dashboardRoutes(app: FastifyInstance, { db }: { db: Database }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = new DashboardService(db);

  api.get(
    '/dashboard',
    {
      onRequest: requireStaff(db),
      schema: {
        tags: ['admin-dashboard'],
        security,
        summary: 'Sales, best sellers, low stock and failed media at a glance',
        description:
          'Any staff role. Sections the role may not see are null: sales and bestSellers need orders:read, lowStock and failedMedia catalog:read. Days are UTC; the period ends today.',
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal?.type !== 'staff') throw new Error('requireStaff lets only staff through');
      return service.get(principal.role, request.query.days);
    },
  );
}
