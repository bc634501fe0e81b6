import {
  changePasswordRequestSchema,
  loginRequestSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  problemSchema,
  registerRequestSchema,
  tokenResponseSchema,
} from '@e3d/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireCustomer } from '../../plugins/auth.ts';
import type { CustomerAccounts } from './customers.ts';
import { clientInfo, presentedRefreshToken, sendTokens, wantsTokensInBody } from './delivery.ts';
import type { PasswordResets } from './password-reset.ts';
import { customerId } from './principal.ts';
import type { AccountRateLimits } from './rate-limits.ts';
import { sessionRoutes } from './session-routes.ts';
import type { Sessions } from './sessions.ts';

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];
const TAG = 'auth';

export interface AuthRouteOptions {
  accounts: CustomerAccounts;
  resets: PasswordResets;
  sessions: Sessions;
  limits: AccountRateLimits;
}

/** Customer sign-up, sign-in, sessions and passwords under /api/auth. */
export function customerAuthRoutes(app: FastifyInstance, options: AuthRouteOptions) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { accounts, resets, limits } = options;

  api.post(
    '/auth/register',
    {
      preHandler: limits.register,
      schema: {
        tags: [TAG],
        summary: 'Create a customer account and sign in',
        body: registerRequestSchema,
        response: { 201: tokenResponseSchema, 409: problemSchema, ...problems },
      },
    },
    async (request, reply) => {
      const tokens = await accounts.register(request.body, clientInfo(request));
      const inBody = wantsTokensInBody(request, request.body.mode);
      return sendTokens(request, reply, tokens, { subject: 'customer', inBody, status: 201, newCsrf: true });
    },
  );

  api.post(
    '/auth/login',
    {
      schema: {
        tags: [TAG],
        summary: 'Sign in with email and password',
        description:
          'An unknown email and a wrong password get the same answer: `invalid_credentials`. Repeated failures from one address for one account wait longer each time (429 `too_many_attempts` with `Retry-After`); signing in clears them.',
        body: loginRequestSchema,
        response: { 200: tokenResponseSchema, ...problems },
      },
    },
    async (request, reply) => {
      const tokens = await limits.login.attempt(request, reply, request.body.email, () =>
        accounts.login(request.body, clientInfo(request)),
      );
      const inBody = wantsTokensInBody(request, request.body.mode);
      return sendTokens(request, reply, tokens, { subject: 'customer', inBody, newCsrf: true });
    },
  );

  sessionRoutes(app, {
    prefix: '/auth',
    subject: 'customer',
    tag: TAG,
    sessions: options.sessions,
    resolve: accounts.resolve,
  });

  api.post(
    '/auth/password',
    {
      preHandler: requireCustomer(),
      schema: {
        tags: [TAG],
        security,
        summary: 'Change the password (needs the current one); signs out every other session',
        body: changePasswordRequestSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const current = presentedRefreshToken(request, request.body.refreshToken);
      await accounts.changePassword(customerId(request), request.body, current?.token ?? null);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/auth/password-reset',
    {
      preHandler: limits.passwordReset,
      schema: {
        tags: [TAG],
        summary: 'Email a one-time password reset link',
        description:
          'Always 202, whether or not the address has an account. The link opens `/account/reset-password?token=…` on the storefront and works once, for one hour.',
        body: passwordResetRequestSchema,
        response: { 202: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await resets.request(request.body.email);
      return reply.status(202).send(null);
    },
  );

  api.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        tags: [TAG],
        summary: 'Set a new password with the emailed token; signs out every session',
        body: passwordResetConfirmSchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await resets.confirm(request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );
}
