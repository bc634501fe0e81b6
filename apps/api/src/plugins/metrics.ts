import type { Database } from '@e3d/db';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  cacheLookups: Counter<'cache' | 'result'>;
  cacheErrors: Counter<'cache' | 'operation'>;
  cacheBackendUp: Gauge<'cache'>;
}

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    cacheLookups: new Counter({
      name: 'e3d_cache_lookups_total',
      help: 'Response cache lookups by backend and result (hit or miss)',
      labelNames: ['cache', 'result'],
      registers: [registry],
    }),
    cacheErrors: new Counter({
      name: 'e3d_cache_errors_total',
      help: 'Cache operations that failed; the request was answered from the database',
      labelNames: ['cache', 'operation'],
      registers: [registry],
    }),
    cacheBackendUp: new Gauge({
      name: 'e3d_cache_backend_up',
      help: '1 when the shared cache (Redis) answered its last command, 0 when it did not',
      labelNames: ['cache'],
      registers: [registry],
    }),
  };
}

export function registerMetrics(app: FastifyInstance, metrics: Metrics, db: Database) {
  const { registry } = metrics;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const poolGauge = (name: string, help: string, pick: (s: ReturnType<Database['poolStats']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(db.poolStats()));
      },
    });
  poolGauge('e3d_db_pool_connections', 'Open database connections', (s) => s.total);
  poolGauge('e3d_db_pool_idle', 'Idle database connections', (s) => s.idle);
  poolGauge('e3d_db_pool_waiting', 'Queries waiting for a connection', (s) => s.waiting);
  poolGauge('e3d_db_pool_max', 'Configured maximum database connections', (s) => s.max);

  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
