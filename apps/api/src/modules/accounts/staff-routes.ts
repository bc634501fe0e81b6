import {
  acceptInviteRequestSchema,
  loginRequestSchema,
  problemSchema,
  staffProfileSchema,
  tokenResponseSchema,
} from '@e3d/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clientInfo, sendTokens, wantsTokensInBody } from './delivery.ts';
import { staffId } from './principal.ts';
import type { AccountRateLimits } from './rate-limits.ts';
import { sessionRoutes } from './session-routes.ts';
import type { Sessions } from './sessions.ts';
import type { StaffAccounts } from './staff.ts';

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const TAG = 'admin-auth';

/** Staff sign-in under /api/admin/auth, and /api/admin/me. */
export function staffAuthRoutes(
  app: FastifyInstance,
  options: { staff: StaffAccounts; sessions: Sessions; limits: AccountRateLimits },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { staff } = options;

  api.post(
    '/admin/auth/login',
    {
      schema: {
        tags: [TAG],
        summary: 'Staff sign-in; the access token carries the role',
        description:
          'Deactivated staff are refused (401 `account_inactive`). Repeated failures from one address for one account wait longer each time (429 `too_many_attempts` with `Retry-After`); signing in clears them.',
        body: loginRequestSchema,
        response: { 200: tokenResponseSchema, ...problems },
      },
    },
    async (request, reply) => {
      const tokens = await options.limits.staffLogin.attempt(request, reply, request.body.email, () =>
        staff.login(request.body, clientInfo(request)),
      );
      const inBody = wantsTokensInBody(request, request.body.mode);
      return sendTokens(request, reply, tokens, { subject: 'staff', inBody, newCsrf: true });
    },
  );

  sessionRoutes(app, {
    prefix: '/admin/auth',
    subject: 'staff',
    tag: TAG,
    sessions: options.sessions,
    resolve: staff.resolve,
  });

  api.post(
    '/admin/auth/accept-invite',
    {
      schema: {
        tags: [TAG],
        summary: 'An invited member chooses a password with the emailed token',
        description:
          'The token comes from the invitation link (`ADMIN_URL/accept-invite?token=…`) and works once; then sign in.',
        body: acceptInviteRequestSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await staff.acceptInvite(request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/admin/me',
    {
      schema: {
        tags: [TAG],
        security,
        summary: 'The signed-in staff member, their role and its permissions',
        response: { 200: staffProfileSchema, ...problems },
      },
    },
    async (request) => staff.profile(staffId(request)),
  );
}
