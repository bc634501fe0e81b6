import { timingSafeEqual } from 'node:crypto';
import '@fastify/cookie';
import { can, type Permission, type Principal, TokenError, verifyAccessToken } from '@e3d/auth';
import { type Database, rows, type StaffRow, sql } from '@e3d/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { isRefusedStaffAction, recordRefusal } from '../modules/audit/refusals.ts';

/**
 * Customer and staff sessions use different cookies: the storefront and the admin app talk to
 * the same API host, and one browser may be signed in to both.
 */
export const SESSION_COOKIES = {
  customer: { access: 'e3d_access', refresh: 'e3d_refresh', csrf: 'e3d_csrf' },
  staff: { access: 'e3d_staff_access', refresh: 'e3d_staff_refresh', csrf: 'e3d_staff_csrf' },
} as const;
export const ACCESS_COOKIE = SESSION_COOKIES.customer.access;
export const CSRF_COOKIE = SESSION_COOKIES.customer.csrf;

/** Admin routes read the staff cookies; every other route the customer ones. */
export function cookiesFor(request: FastifyRequest) {
  return request.url.startsWith('/api/admin') ? SESSION_COOKIES.staff : SESSION_COOKIES.customer;
}
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, when a valid access token came with the request. */
    principal: Principal | null;
    /** Why a token that came with the request was refused (answered only where auth is needed). */
    authError: AppError | null;
    /** The permission the route's `requireStaff` asked for, once it has checked. */
    requiredPermission: Permission | null;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Reads the access token from `Authorization: Bearer` (API clients) or the HttpOnly cookie
 * (browsers). A cookie-authenticated write must also carry the CSRF token (double submit:
 * the readable `e3d_csrf` cookie echoed in `x-csrf-token`), so another site cannot forge it.
 * A signed-in caller refused an admin route (403 `forbidden`) is written to the audit log.
 */
export function registerAuth(app: FastifyInstance, options: { secret: Uint8Array; db: Database }) {
  app.decorateRequest('principal', null);
  app.decorateRequest('authError', null);
  app.decorateRequest('requiredPermission', null);
  // Before the error handler answers, so the entry is there once the caller sees the 403.
  app.addHook('onError', async (request, _reply, error) => {
    if (isRefusedStaffAction(request, error)) await recordRefusal(options.db, request, error);
  });
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = request.cookies?.[cookiesFor(request).access];
    const token = bearer ?? cookie;
    if (!token) return;
    try {
      request.principal = await verifyAccessToken(options.secret, token);
    } catch (error) {
      const code = error instanceof TokenError ? error.code : 'token_invalid';
      request.authError = new AppError(401, code, (error as Error).message);
      return;
    }
    if (!bearer && UNSAFE.has(request.method)) {
      if (!csrfMatches(request)) {
        request.principal = null;
        request.authError = new AppError(
          403,
          'csrf_failed',
          `A cookie-authenticated write needs the ${CSRF_HEADER} header.`,
        );
      }
    }
  });
}

/** Whether the request echoes the `e3d_csrf` cookie in the `x-csrf-token` header. */
export function csrfMatches(request: FastifyRequest): boolean {
  const sent = request.headers[CSRF_HEADER];
  const expected = request.cookies?.[cookiesFor(request).csrf];
  return typeof sent === 'string' && !!expected && sameSecret(sent, expected);
}

function requirePrincipal(request: FastifyRequest): Principal {
  if (request.authError) throw request.authError;
  if (!request.principal) throw new AppError(401, 'unauthenticated', 'Sign in first.');
  return request.principal;
}

/** preHandler: a signed-in customer. */
export function requireCustomer() {
  return async (request: FastifyRequest) => {
    const principal = requirePrincipal(request);
    if (principal.type !== 'customer')
      throw new AppError(403, 'forbidden', 'This route is for customer accounts.');
  };
}

/**
 * preHandler: an active staff member whose role has the permission (any role when none is
 * named). The role is read from the database on every call, so a role change or
 * deactivation takes effect at once; `request.principal.role` is that role.
 */
export function requireStaff(db: Database, permission?: Permission) {
  return async (request: FastifyRequest) => {
    const principal = requirePrincipal(request);
    if (principal.type !== 'staff') throw new AppError(403, 'forbidden', 'This route is for staff.');
    const [member] = await rows<Pick<StaffRow, 'role' | 'status'>>(
      db,
      sql`SELECT role, status FROM staff WHERE id = ${principal.id}`,
      { prepared: true },
    );
    if (member?.status !== 'active')
      throw new AppError(401, 'account_inactive', 'This staff account is not active.');
    request.principal = { type: 'staff', id: principal.id, role: member.role };
    request.requiredPermission = permission ?? null;
    if (permission && !can(member.role, permission)) {
      throw new AppError(403, 'forbidden', `The ${member.role} role may not do this (${permission}).`);
    }
  };
}
