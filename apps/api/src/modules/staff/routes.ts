import {
  problemSchema,
  staffInviteSchema,
  staffListSchema,
  staffMemberSchema,
  staffUpdateSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireStaff } from '../../plugins/auth.ts';
import { auditContext } from '../audit/record.ts';
import { StaffService } from './service.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
};
const staffParams = z.object({ staffId: z.uuid() });

/** Staff management under /api/admin (staff:read, staff:write). */
export async function staffRoutes(
  app: FastifyInstance,
  { db, adminUrl }: { db: Database; adminUrl: string },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const service = new StaffService(db, adminUrl);
  const read = requireStaff(db, 'staff:read');
  const write = requireStaff(db, 'staff:write');
  const tags = ['staff'];

  api.get(
    '/staff',
    {
      onRequest: read,
      schema: {
        tags,
        security,
        summary: 'The team, owners first',
        response: { 200: staffListSchema, ...problems },
      },
    },
    async () => ({ items: await service.list() }),
  );

  api.post(
    '/staff',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Invite a member: created with the role, emailed a link to choose a password',
        description: 'Only an owner can invite an owner. 409 `email_taken` when the address is on the team.',
        body: staffInviteSchema,
        response: { 201: staffMemberSchema, ...problems },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.invite(auditContext(request), request.body)),
  );

  api.get(
    '/staff/:staffId',
    {
      onRequest: read,
      schema: { tags, security, params: staffParams, response: { 200: staffMemberSchema, ...problems } },
    },
    async (request) => service.get(request.params.staffId),
  );

  api.patch(
    '/staff/:staffId',
    {
      onRequest: write,
      schema: {
        tags,
        security,
        summary: 'Change the role, name, or deactivate / reactivate a member',
        description:
          'Only an owner can change an owner or make one; the last active owner cannot be demoted or deactivated (409 `last_owner`). Deactivation signs the member out everywhere.',
        params: staffParams,
        body: staffUpdateSchema,
        response: { 200: staffMemberSchema, ...problems },
      },
    },
    async (request) => service.update(auditContext(request), request.params.staffId, request.body),
  );
}
