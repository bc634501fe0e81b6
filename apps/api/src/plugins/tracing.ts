import type { IncomingMessage } from 'node:http';
import {
  context,
  failSpan,
  type Span,
  SpanStatusCode,
  spanLogFields,
  startServerSpan,
  tracingActive,
} from '@e3d/telemetry';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/**
 * One server span per API request, named after its route template (`GET /api/products/:handle`),
 * continuing the caller's trace (traceparent / X-Amzn-Trace-Id). Installed only while tracing
 * is on; otherwise the app has none of these hooks.
 *
 * The span starts when Fastify makes the request's logger, so every line that request logs
 * (including "incoming request" and "request completed") carries trace_id and span_id.
 */

type RequestContext = ReturnType<typeof context.active>;
interface Traced {
  span: Span;
  context: RequestContext;
}

const spans = new WeakMap<IncomingMessage, Traced>();

/** Fastify options that start the span with the request's logger (undefined when tracing is off). */
export function tracingServerOptions(): Pick<FastifyServerOptions, 'childLoggerFactory'> {
  if (!tracingActive()) return {};
  return {
    childLoggerFactory(logger, bindings, options, rawRequest) {
      const req = rawRequest as IncomingMessage;
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const started = startServerSpan(req.method ?? 'GET', req.headers, {
        'http.request.method': req.method ?? 'GET',
        'url.path': path,
        'url.scheme': 'http',
        'request.id': String(bindings.reqId ?? ''),
        ...(req.headers['user-agent'] ? { 'user_agent.original': req.headers['user-agent'] } : {}),
        'network.protocol.version': req.httpVersion,
      });
      if (!started) return logger.child(bindings, options);
      spans.set(req, started);
      return logger.child({ ...bindings, ...spanLogFields(started.span) }, options);
    },
  };
}

const traced = (request: FastifyRequest) => spans.get(request.raw);

/** Runs the rest of the lifecycle in the request's context (re-entered after body parsing). */
function enter(request: FastifyRequest, _reply: FastifyReply, done: () => void) {
  const current = traced(request);
  if (current) context.with(current.context, done);
  else done();
}

export function registerTracing(app: FastifyInstance) {
  if (!tracingActive()) return;
  app.addHook('onRequest', (request, reply, done) => {
    const current = traced(request);
    if (current) {
      const route = request.routeOptions.url;
      current.span.updateName(route ? `${request.method} ${route}` : request.method);
      if (route) current.span.setAttribute('http.route', route);
      current.span.setAttribute('client.address', request.ip);
    }
    enter(request, reply, done);
  });
  app.addHook('preValidation', enter);
  app.addHook('preHandler', enter);
  app.addHook('onError', async (request, _reply, error) => {
    const current = traced(request);
    if (current) current.span.recordException(error);
  });
  app.addHook('onResponse', async (request, reply) => {
    const current = traced(request);
    if (!current) return;
    spans.delete(request.raw);
    const status = reply.statusCode;
    current.span.setAttribute('http.response.status_code', status);
    if (status >= 500) current.span.setStatus({ code: SpanStatusCode.ERROR });
    current.span.end();
  });
  app.addHook('onRequestAbort', async (request) => {
    const current = traced(request);
    if (!current) return;
    spans.delete(request.raw);
    failSpan(current.span, new Error('request aborted by the client'));
    current.span.end();
  });
}
