import { type Database, rows, sql } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CatalogCache } from '../../cache/catalog-cache.ts';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const readySchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.string()).describe('"ok", "not configured" or "failed: reason"'),
});

export async function healthRoutes(app: FastifyInstance, options: { db: Database; cache: CatalogCache }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // Liveness for the load balancer: no dependency checks, so a database blip does not
  // make every task look dead at once.
  api.get(
    '/healthz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  api.get(
    '/readyz',
    {
      logLevel: 'warn',
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database, and Redis when configured, answer',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const run = async (check: () => Promise<unknown>) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return 'ok';
        } catch (error) {
          return `failed: ${(error as Error).message}`;
        }
      };
      const [database, redis] = await Promise.all([
        run(() => rows(options.db, sql`SELECT 1`)),
        options.cache.backend.name === 'redis'
          ? run(() => options.cache.ping())
          : Promise.resolve('not configured'),
      ]);
      const checks = { database, redis };
      const ok = Object.values(checks).every((c) => !c.startsWith('failed'));
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );
}
