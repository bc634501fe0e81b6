import {
  adminCustomerListSchema,
  adminCustomerQuerySchema,
  adminCustomerSchema,
  anonymiseCustomerSchema,
  problemSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { Sessions } from '../accounts/sessions.ts';
import { auditContext } from '../audit/record.ts';
import { AdminCustomerService } from './service.ts';

const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
};
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const params = z.object({ customerId: z.uuid() });

/** Shopper accounts under /api/admin: find and read them; anonymise one on request. */
export async function adminCustomerRoutes(
  app: FastifyInstance,
  { db, jwtSecret }: { db: Database; jwtSecret: Uint8Array },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = new AdminCustomerService(db, new Sessions(db, jwtSecret));
  const read = requireStaff(db, 'customers:read');
  const write = requireStaff(db, 'customers:write');
  const tags = ['admin-customers'];

  api.get(
    '/customers',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'Customers, newest first, with their order count and total spent; search email or name',
        querystring: adminCustomerQuerySchema,
        response: { 200: adminCustomerListSchema, ...problems },
      },
    },
    async (request) => service.list(request.query),
  );

  api.get(
    '/customers/:customerId',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'A customer with addresses and recent orders',
        params,
        response: { 200: adminCustomerSchema, ...problems },
      },
    },
    async (request) => service.get(request.params.customerId),
  );

  api.post(
    '/customers/:customerId/anonymise',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: "Erase a customer's personal data (e.g. on an erasure request)",
        description:
          'The same as the customer closing their account: email, name, password, marketing consent and addresses are erased and every session ends; orders stay as accounting records. Audited with the reason. 409 customer_already_anonymised the second time.',
        params,
        body: anonymiseCustomerSchema,
        response: { 200: adminCustomerSchema, ...problems, 409: problemSchema },
      },
    },
    async (request) =>
      service.anonymise(auditContext(request), request.params.customerId, request.body.reason),
  );
}
