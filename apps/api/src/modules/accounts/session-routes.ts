import {
  logoutRequestSchema,
  problemSchema,
  refreshRequestSchema,
  tokenResponseSchema,
} from '@e3d/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import {
  clearSessionCookies,
  clientInfo,
  presentedRefreshToken,
  sendTokens,
  wantsTokensInBody,
} from './delivery.ts';
import { type ResolvePrincipal, refreshTokenInvalid, type Sessions, type SubjectType } from './sessions.ts';

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema };

/**
 * `POST {prefix}/refresh` and `POST {prefix}/logout` for one kind of account (customers
 * under /auth, staff under /admin/auth): the same rules, separate tokens.
 */
export function sessionRoutes(
  app: FastifyInstance,
  options: {
    prefix: string;
    subject: SubjectType;
    tag: string;
    sessions: Sessions;
    resolve: ResolvePrincipal;
  },
) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { prefix, subject, tag, sessions } = options;

  api.post(
    `${prefix}/refresh`,
    {
      schema: {
        tags: [tag],
        summary: 'Exchange the refresh token for new tokens (the old one is spent)',
        description:
          'Browsers send the `e3d_refresh` (staff: `e3d_staff_refresh`) cookie and the `x-csrf-token` header; API clients send `refreshToken`. A refresh token works once: presenting a spent one signs out every session of its family (`refresh_token_reused`).',
        body: refreshRequestSchema.nullish(),
        response: { 200: tokenResponseSchema, ...problems },
      },
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body?.refreshToken);
      if (!presented) throw refreshTokenInvalid('No refresh token: send the cookie or `refreshToken`.');
      try {
        const tokens = await sessions.rotate(presented.token, subject, clientInfo(request), options.resolve);
        // A cookie is replaced by its successor, or the next refresh would present a spent one.
        const inBody = !presented.fromCookie || wantsTokensInBody(request, request.body?.mode);
        return sendTokens(request, reply, tokens, { subject, inBody, cookies: presented.fromCookie });
      } catch (error) {
        // A refused cookie would only be refused again: the browser forgets it.
        if (presented.fromCookie && error instanceof AppError && error.status === 401) {
          clearSessionCookies(reply, subject);
        }
        throw error;
      }
    },
  );

  api.post(
    `${prefix}/logout`,
    {
      schema: {
        tags: [tag],
        summary: 'Sign out: ends the session (its refresh-token family) and clears the cookies',
        body: logoutRequestSchema.nullish(),
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const presented = presentedRefreshToken(request, request.body?.refreshToken);
      if (presented) await sessions.end(presented.token, subject);
      clearSessionCookies(reply, subject);
      return reply.status(204).send(null);
    },
  );
}
