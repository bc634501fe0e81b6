import { randomBytes } from 'node:crypto';
import type { TokenResponse } from '@e3d/contracts';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { CSRF_HEADER, cookiesFor, csrfMatches, SESSION_COOKIES } from '../../plugins/auth.ts';
import {
  type ClientInfo,
  type IssuedTokens,
  REFRESH_TOKEN_TTL_SECONDS,
  type SubjectType,
} from './sessions.ts';

/**
 * How tokens reach the client. API clients (`mode: "token"` or `x-e3d-client: api`) get both
 * tokens in the body and keep them themselves. Browsers get HttpOnly cookies, so no script
 * can read the tokens; the refresh cookie only travels to its own auth routes.
 */
export const REFRESH_COOKIE_PATH: Record<SubjectType, string> = {
  customer: '/api/auth',
  staff: '/api/admin/auth',
};

export const API_CLIENT_HEADER = 'x-e3d-client';

export function wantsTokensInBody(request: FastifyRequest, mode: 'token' | 'cookie' | undefined): boolean {
  if (mode) return mode === 'token';
  return request.headers[API_CLIENT_HEADER] === 'api';
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  return { userAgent: request.headers['user-agent']?.slice(0, 500) ?? null, ip: request.ip ?? null };
}

const cookieBase = { secure: true, httpOnly: true } satisfies CookieSerializeOptions;

/**
 * Answers a sign-in or refresh. Browsers also get the cookies; the CSRF token is new at
 * sign-in and kept across refreshes (other tabs still hold it).
 */
export function sendTokens(
  request: FastifyRequest,
  reply: FastifyReply,
  tokens: IssuedTokens,
  options: {
    subject: SubjectType;
    /** API clients: the refresh token in the body. Otherwise (browsers) cookies. */
    inBody: boolean;
    /** Set the cookies too (a refresh that came as a cookie replaces that cookie). */
    cookies?: boolean;
    status?: number;
    newCsrf?: boolean;
  },
) {
  if (options.cookies ?? !options.inBody) {
    const names = SESSION_COOKIES[options.subject];
    const csrf = (!options.newCsrf && request.cookies[names.csrf]) || randomBytes(24).toString('base64url');
    reply.setCookie(names.access, tokens.accessToken, {
      ...cookieBase,
      sameSite: 'lax',
      path: '/',
      maxAge: tokens.expiresIn,
    });
    reply.setCookie(names.refresh, tokens.refreshToken, {
      ...cookieBase,
      sameSite: 'strict',
      path: REFRESH_COOKIE_PATH[options.subject],
      maxAge: REFRESH_TOKEN_TTL_SECONDS,
    });
    // Readable by the page's script, which echoes it in the x-csrf-token header on writes.
    reply.setCookie(names.csrf, csrf, {
      secure: true,
      httpOnly: false,
      sameSite: 'lax',
      path: '/',
      maxAge: REFRESH_TOKEN_TTL_SECONDS,
    });
  }
  const body: TokenResponse = {
    accessToken: tokens.accessToken,
    expiresIn: tokens.expiresIn,
    ...(options.inBody ? { refreshToken: tokens.refreshToken } : {}),
    tokenType: 'Bearer',
  };
  return reply.status(options.status ?? 200).send(body);
}

/** Signs the browser out: every auth cookie of this kind of account is removed. */
export function clearSessionCookies(reply: FastifyReply, subject: SubjectType) {
  const names = SESSION_COOKIES[subject];
  reply.clearCookie(names.access, { ...cookieBase, sameSite: 'lax', path: '/' });
  reply.clearCookie(names.refresh, {
    ...cookieBase,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH[subject],
  });
  reply.clearCookie(names.csrf, { secure: true, sameSite: 'lax', path: '/' });
}

/**
 * The refresh token the client presents: the body's (API clients) or the cookie's. A
 * cookie is sent by the browser on its own, so using it is a write that needs the CSRF
 * header, like every cookie-authenticated write.
 */
export function presentedRefreshToken(
  request: FastifyRequest,
  fromBody: string | undefined,
): { token: string; fromCookie: boolean } | null {
  if (fromBody) return { token: fromBody, fromCookie: false };
  const names = cookiesFor(request);
  const cookie = request.cookies[names.refresh];
  if (!cookie) return null;
  if (!csrfMatches(request)) {
    throw new AppError(
      403,
      'csrf_failed',
      `Using the refresh cookie is a write: send the ${names.csrf} cookie's value in the ${CSRF_HEADER} header.`,
    );
  }
  return { token: cookie, fromCookie: true };
}
