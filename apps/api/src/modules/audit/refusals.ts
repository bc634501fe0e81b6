import type { Database } from '@e3d/db';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { recordAudit } from './record.ts';

/** The audit action of a refused staff action (filter the log with `?action=access.denied`). */
export const ACCESS_DENIED = 'access.denied';

/**
 * A caller we know (a valid token) refused an admin route: a role without the permission, or
 * an owner-only change. Sign-in and token problems (401) are not: without a known caller they
 * would only fill the log with noise.
 */
export function isRefusedStaffAction(request: FastifyRequest, error: unknown): error is AppError {
  return (
    error instanceof AppError &&
    error.status === 403 &&
    error.code === 'forbidden' &&
    request.principal !== null &&
    request.url.startsWith('/api/admin/')
  );
}

/**
 * Writes the refusal to the audit log: who, which route (its pattern and ids), the role and
 * the permission it lacked. Never the body or the query, which may carry secrets. The write
 * stands alone (there is no transaction to join), and a failed one does not change the 403.
 */
export async function recordRefusal(db: Database, request: FastifyRequest, error: AppError): Promise<void> {
  const principal = request.principal;
  if (!principal) return;
  const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
  const params = request.params && typeof request.params === 'object' ? request.params : {};
  try {
    await recordAudit(db.orm, {
      principal,
      requestId: String(request.id),
      ip: request.ip ?? null,
      action: ACCESS_DENIED,
      entityType: 'route',
      entityId: `${request.method} ${route}`,
      before: null,
      after: {
        outcome: 'denied',
        method: request.method,
        route,
        params,
        ...(principal.type === 'staff' ? { role: principal.role } : { actor: principal }),
        ...(request.requiredPermission ? { permission: request.requiredPermission } : {}),
        status: error.status,
        code: error.code,
        detail: error.message,
      },
    });
  } catch (recordError) {
    request.log.error({ err: recordError }, 'could not record a refused staff action in the audit log');
  }
}
