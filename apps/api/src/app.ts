import { randomUUID } from 'node:crypto';
import { StorefrontRevalidation } from '@e3d/catalog';
import { type CommerceContext, commerceContextFromConfig } from '@e3d/commerce';
import type { Config } from '@e3d/config';
import type { Database } from '@e3d/db';
import type { Mailer } from '@e3d/mail';
import type { PaymentProvider } from '@e3d/payments';
import type { CdnInvalidator, ObjectStore } from '@e3d/storage';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { CatalogCache } from './cache/catalog-cache.ts';
import { registerErrorHandling } from './errors.ts';
import { accountRoutes } from './modules/accounts/routes.ts';
import { adminCatalogRoutes } from './modules/admin-catalog/routes.ts';
import { adminCustomerRoutes } from './modules/admin-customers/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { cartRoutes } from './modules/cart/routes.ts';
import { catalogRoutes } from './modules/catalog/routes.ts';
import { CatalogService } from './modules/catalog/service.ts';
import { commerceSettingsRoutes } from './modules/commerce-settings/routes.ts';
import { dashboardRoutes } from './modules/dashboard/routes.ts';
import { healthRoutes } from './modules/health/routes.ts';
import { assetRoutes } from './modules/media/asset-routes.ts';
import { localUploadRoutes } from './modules/media/local-upload-routes.ts';
import { mediaRoutes } from './modules/media/routes.ts';
import { adminOrderRoutes } from './modules/orders/admin-routes.ts';
import { orderRoutes } from './modules/orders/routes.ts';
import { staffRoutes } from './modules/staff/routes.ts';
import { webhookRoutes } from './modules/webhooks/routes.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerDrain } from './plugins/drain.ts';
import { type Metrics, registerMetrics } from './plugins/metrics.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerProtection } from './plugins/protection.ts';
import type { RateLimitStore } from './plugins/rate-limit-store.ts';
import { registerTracing, tracingServerOptions } from './plugins/tracing.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  store: ObjectStore;
  cdn: CdnInvalidator;
  /** Signs and verifies access tokens (JWT_SECRET, or generated under DATA_DIR). */
  jwtSecret: Uint8Array;
  cache: CatalogCache;
  metrics: Metrics;
  /** Sends email now; routes usually enqueue with `enqueueMail` instead (the worker sends). */
  mailer: Mailer;
  /** Counters behind `rateLimit(...)`: in-process, or Redis with REDIS_URL. */
  rateLimitStore: RateLimitStore;
  /** The test provider (embedded default) or Stripe, as the settings choose. */
  payments: PaymentProvider;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    // Only the configured number of proxy hops is believed: trusting every X-Forwarded-For
    // entry would let a client pick its own address and dodge per-IP rate limits.
    trustProxy: (_address: string, hop: number) => hop < config.TRUST_PROXY_HOPS,
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // Fastify waits for requests in flight on close(); idle keep-alive sockets are closed at
    // once, and busy ones once their response is sent (registerDrain).
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // With tracing on: each request's span starts with its logger (trace ids on its log lines).
    ...tracingServerOptions(),
  });
  registerTracing(app);
  registerDrain(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerErrorHandling(app);
  await registerProtection(app, deps);
  await app.register(cookie);
  registerAuth(app, { secret: deps.jwtSecret, db: deps.db });
  registerMetrics(app, deps.metrics, deps.db);
  await registerOpenApi(app, { serverUrl: config.publicApiUrl });

  const service = new CatalogService(deps.db, config.assetBaseUrl);
  await app.register(healthRoutes, { prefix: '/api', db: deps.db, cache: deps.cache });
  await app.register(catalogRoutes, { prefix: '/api', service, cache: deps.cache });
  await app.register(accountRoutes, {
    prefix: '/api',
    db: deps.db,
    jwtSecret: deps.jwtSecret,
    storefrontUrl: config.STOREFRONT_URL,
  });
  const catalogWriters = {
    config,
    db: deps.db,
    store: deps.store,
    cdn: deps.cdn,
    revalidation: new StorefrontRevalidation(config.STOREFRONT_REVALIDATE_URL),
  };
  await app.register(mediaRoutes, { prefix: '/api/admin', ...catalogWriters });
  await app.register(adminCatalogRoutes, { prefix: '/api/admin', ...catalogWriters });
  await app.register(staffRoutes, { prefix: '/api/admin', db: deps.db, adminUrl: config.ADMIN_URL });
  const commerce: CommerceContext = commerceContextFromConfig(config, deps);
  await app.register(cartRoutes, { prefix: '/api', db: deps.db, commerce });
  await app.register(orderRoutes, {
    prefix: '/api',
    db: deps.db,
    commerce,
    publishableKey: config.STRIPE_PUBLISHABLE_KEY,
  });
  await app.register(adminOrderRoutes, { prefix: '/api/admin', db: deps.db, commerce });
  await app.register(webhookRoutes, { prefix: '/api/admin', db: deps.db });
  await app.register(commerceSettingsRoutes, { prefix: '/api/admin', db: deps.db });
  await app.register(auditRoutes, { prefix: '/api/admin', db: deps.db });
  await app.register(dashboardRoutes, { prefix: '/api/admin', db: deps.db });
  await app.register(adminCustomerRoutes, { prefix: '/api/admin', db: deps.db, jwtSecret: deps.jwtSecret });
  // Local storage is served here (also as a CDN's origin); S3 too while no CDN is configured,
  // since its asset URLs are then built on PUBLIC_API_URL.
  if (deps.store.driver === 'local' || !config.CLOUDFRONT_URL) {
    await app.register(assetRoutes, { store: deps.store });
  }
  if (deps.store.driver === 'local') {
    await app.register(localUploadRoutes, { store: deps.store, config });
  }
  return app;
}
