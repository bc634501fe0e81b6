import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';

/** The signed-in customer's id, behind requireCustomer(). */
export function customerId(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.type !== 'customer') throw new AppError(401, 'unauthenticated', 'Sign in first.');
  return principal.id;
}

/** The signed-in staff member's id (any role): for routes about oneself, like /admin/me. */
export function staffId(request: FastifyRequest): string {
  if (request.authError) throw request.authError;
  const principal = request.principal;
  if (!principal) throw new AppError(401, 'unauthenticated', 'Sign in first.');
  if (principal.type !== 'staff') throw new AppError(403, 'forbidden', 'This route is for staff.');
  return principal.id;
}
