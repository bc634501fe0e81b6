import { createHash } from 'node:crypto';
import type { Config } from '@e3d/config';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter } from 'prom-client';
import { sendProblem } from '../errors.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimitStore } from './rate-limit-store.ts';

export interface ProtectionDeps {
  config: Config;
  metrics: Metrics;
  rateLimitStore: RateLimitStore;
}

interface Limiter {
  store: RateLimitStore;
  limited: Counter<'limit' | 'scope'>;
  reportFallback(request: FastifyRequest, error: Error): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by registerProtection; read by the `rateLimit(...)` preHandlers. */
    rateLimiter: Limiter | null;
  }
}

/** The browser apps allowed to call the API with credentials (cookies). */
export function allowedOrigins(config: Config): string[] {
  return [...new Set([config.STOREFRONT_URL, config.ADMIN_URL].map((url) => new URL(url).origin))];
}

/**
 * Security headers, CORS and the rate limiter. Register before the routes.
 *
 * - Headers (helmet): API responses are data, never documents, so the CSP is
 *   `default-src 'none'`. The docs at /api/docs set their own, looser policy (the
 *   swagger-ui plugin's `staticCSP`, applied on its routes after this one).
 *   HSTS in production only (browsers ignore it over http, and on a developer's
 *   https://localhost it would stick to every other local app).
 * - CORS: STOREFRONT_URL and ADMIN_URL only, with credentials.
 * - `rateLimit(spec)`: per-route limits, counted in the runtime's store.
 */
export async function registerProtection(app: FastifyInstance, deps: ProtectionDeps) {
  const { config } = deps;
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity:
      config.NODE_ENV === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    xFrameOptions: { action: 'deny' },
  });

  await app.register(cors, {
    origin: allowedOrigins(config),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'retry-after', 'location', 'etag'],
    maxAge: 600,
  });

  let lastFallbackLog = 0;
  app.decorate('rateLimiter', {
    store: deps.rateLimitStore,
    limited: new Counter({
      name: 'e3d_rate_limited_total',
      help: 'Requests refused with 429 by a rate limit, by limit name and scope (ip or account)',
      labelNames: ['limit', 'scope'],
      registers: [deps.metrics.registry],
    }),
    reportFallback(request, error) {
      // Counted on every hit (e3d_rate_limit_store_errors_total); logged at most every 10 s.
      if (Date.now() - lastFallbackLog < 10_000) return;
      lastFallbackLog = Date.now();
      request.log.error(
        { err: error, store: deps.rateLimitStore.name },
        'rate-limit store unavailable: counting in this process until it answers',
      );
    },
  });
}

/** The request as a `perAccount.key` function sees it: after body parsing, before the handler. */
export type RateLimitRequest = FastifyRequest & { body?: { [field: string]: unknown } | null };

export interface RateLimitWindow {
  /** Calls allowed in one window. */
  max: number;
  windowSeconds: number;
}

export interface RateLimitSpec {
  /** Names the limit in counter keys, metrics and the problem detail (e.g. `sign-in`). */
  name: string;
  /** Per client address (IPv6: per /64), as Fastify reads it (X-Forwarded-For: `trustProxy`). */
  perIp?: RateLimitWindow;
  /**
   * Per account, whatever address the calls come from (credential stuffing spread over
   * many addresses). `key` picks the account from the request, usually the email in the
   * body; compared case-insensitively and stored hashed. No key, no per-account count.
   */
  perAccount?: RateLimitWindow & { key: (request: RateLimitRequest) => unknown };
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

function checkWindow(name: string, window: RateLimitWindow | undefined) {
  if (!window) return;
  if (!Number.isInteger(window.max) || window.max < 1)
    throw new Error(`rateLimit ${name}: max must be a positive integer`);
  if (!(window.windowSeconds > 0)) throw new Error(`rateLimit ${name}: windowSeconds must be positive`);
}

/**
 * The address a per-IP limit counts: IPv4 as is, IPv6 by its /64 (one subscriber's
 * network hands out a whole /64, so single addresses are free to rotate).
 */
export function ipBucket(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/**
 * A preHandler that answers 429 `rate_limited` (problem+json, with `Retry-After` in
 * seconds) once a caller has used up a window:
 *
 *   app.post('/api/auth/sign-in', {
 *     preHandler: rateLimit({
 *       name: 'sign-in',
 *       perIp: { max: 10, windowSeconds: 60 },
 *       perAccount: { max: 5, windowSeconds: 900, key: (request) => request.body?.email },
 *     }),
 *   }, handler);
 *
 * Every call counts, answered or refused. Needs `registerProtection` on the app.
 */
export function rateLimit(spec: RateLimitSpec) {
  if (!NAME.test(spec.name)) throw new Error(`rateLimit: name must match ${NAME} (got ${spec.name})`);
  if (!spec.perIp && !spec.perAccount)
    throw new Error(`rateLimit ${spec.name}: set perIp, perAccount or both`);
  checkWindow(spec.name, spec.perIp);
  checkWindow(spec.name, spec.perAccount);

  return async function rateLimitHook(request: FastifyRequest, reply: FastifyReply) {
    const limiter = request.server.rateLimiter;
    if (!limiter) throw new Error('rateLimit needs registerProtection on the app');

    const check = async (scope: 'ip' | 'account', id: string, window: RateLimitWindow) => {
      const hit = await limiter.store.hit(`${spec.name}:${scope}:${id}`, window.windowSeconds * 1000);
      if (hit.fallback) limiter.reportFallback(request, hit.fallback);
      if (hit.count <= window.max) return false;
      const retryAfter = Math.max(1, Math.ceil(hit.resetMs / 1000));
      limiter.limited.inc({ limit: spec.name, scope });
      reply.header('retry-after', String(retryAfter));
      await sendProblem(request, reply, {
        status: 429,
        code: 'rate_limited',
        detail: `Too many ${spec.name} attempts. Try again in ${retryAfter} seconds.`,
      });
      return true;
    };

    if (spec.perIp && (await check('ip', ipBucket(request.ip), spec.perIp))) return reply;
    if (spec.perAccount) {
      const account = spec.perAccount.key(request as RateLimitRequest);
      if (typeof account === 'string' && account.trim() !== '') {
        const id = digest(account.trim().toLowerCase());
        if (await check('account', id, spec.perAccount)) return reply;
      }
    }
  };
}
