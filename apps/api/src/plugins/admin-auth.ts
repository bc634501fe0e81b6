import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/**
 * Guards an admin scope with the operator token (ADMIN_TOKEN, or the one generated under
 * DATA_DIR and printed by the quick start). Staff accounts with roles replace this in the
 * accounts issue; until then every /api/admin route requires the token.
 */
export function requireAdminToken(scope: FastifyInstance, token: string) {
  const expected = Buffer.from(token);
  scope.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      reply.header('www-authenticate', 'Bearer realm="admin"');
      throw new AppError(401, 'unauthorized', 'This route needs the admin bearer token.');
    }
  });
}
