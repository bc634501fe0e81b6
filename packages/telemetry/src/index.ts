import type { Config } from '@e3d/config';
import {
  type Attributes,
  type Context,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';

/**
 * OpenTelemetry traces for the API and the worker, exported over OTLP/HTTP (to the ADOT
 * collector sidecar, which forwards to X-Ray). Off unless OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_TRACES_EXPORTER=otlp is set: then nothing of the SDK is even loaded, and every helper
 * here is one boolean check.
 *
 * Spans are made by hand where it matters (one per API request named after its route, one
 * per database statement in @e3d/db, one per worker job) rather than by patching modules:
 * the code runs as native ESM, where load-order patching is unreliable. Outgoing HTTP
 * (Stripe, webhooks, AWS SDK) is covered by the http and undici (fetch) instrumentations.
 */

export type TracingSettings = Pick<
  Config,
  | 'NODE_ENV'
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_PROTOCOL'
  | 'OTEL_TRACES_EXPORTER'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_RESOURCE_ATTRIBUTES'
  | 'OTEL_PROPAGATORS'
  | 'OTEL_TRACES_SAMPLER'
  | 'OTEL_TRACES_SAMPLER_ARG'
>;

export interface Tracing {
  readonly enabled: boolean;
  /** Exports every finished span now. */
  forceFlush(): Promise<void>;
  /** Flushes and, when the last user stops, uninstalls the SDK. */
  shutdown(): Promise<void>;
}

const DEFAULT_ENDPOINT = 'http://localhost:4318';
const TRACER_NAME = '@e3d/telemetry';

/** Whether the settings ask for traces. */
export function tracingEnabled(settings: TracingSettings): boolean {
  if (settings.OTEL_TRACES_EXPORTER === 'none') return false;
  return settings.OTEL_TRACES_EXPORTER === 'otlp' || Boolean(settings.OTEL_EXPORTER_OTLP_ENDPOINT);
}

interface Active {
  users: number;
  flush(): Promise<void>;
  stop(): Promise<void>;
}

let active: Active | undefined;
let starting: Promise<Active> | undefined;

/** True while the SDK is installed in this process. */
export function tracingActive(): boolean {
  return active !== undefined;
}

const off: Tracing = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

/**
 * Installs the SDK once per process; API and worker in one process (the quick start) share
 * it, and the last one to shut down flushes and removes it.
 */
export async function startTracing(
  settings: TracingSettings,
  defaults: { serviceName: string },
): Promise<Tracing> {
  if (!tracingEnabled(settings)) return off;
  starting ??= install(settings, defaults.serviceName);
  let current: Active;
  try {
    current = await starting;
  } catch (error) {
    starting = undefined;
    throw error;
  }
  current.users++;
  let stopped = false;
  return {
    enabled: true,
    forceFlush: () => current.flush(),
    async shutdown() {
      if (stopped) return;
      stopped = true;
      current.users--;
      if (current.users > 0) return current.flush();
      if (active === current) active = undefined;
      starting = undefined;
      await current.stop();
    },
  };
}

async function install(settings: TracingSettings, serviceName: string): Promise<Active> {
  // Loaded only when tracing is on.
  const [
    { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator },
    { defaultResource, resourceFromAttributes },
    base,
    { NodeTracerProvider },
    { AWSXRayPropagator },
    { AWSXRayIdGenerator },
    { registerInstrumentations },
    { HttpInstrumentation },
    { UndiciInstrumentation },
    { createRequire, syncBuiltinESMExports },
  ] = await Promise.all([
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/propagator-aws-xray'),
    import('@opentelemetry/id-generator-aws-xray'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-undici'),
    import('node:module'),
  ]);

  const endpoint = (settings.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const url = `${endpoint}/v1/traces`;
  const exporter =
    settings.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json'
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url })
      : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter({ url });

  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': settings.OTEL_SERVICE_NAME ?? serviceName,
      'deployment.environment.name': settings.NODE_ENV,
      ...parseResourceAttributes(settings.OTEL_RESOURCE_ATTRIBUTES),
      ...(settings.OTEL_SERVICE_NAME ? { 'service.name': settings.OTEL_SERVICE_NAME } : {}),
    }),
  );

  const ratio = settings.OTEL_TRACES_SAMPLER_ARG;
  const samplers = {
    always_on: () => new base.AlwaysOnSampler(),
    always_off: () => new base.AlwaysOffSampler(),
    traceidratio: () => new base.TraceIdRatioBasedSampler(ratio),
    parentbased_always_on: () => new base.ParentBasedSampler({ root: new base.AlwaysOnSampler() }),
    parentbased_always_off: () => new base.ParentBasedSampler({ root: new base.AlwaysOffSampler() }),
    parentbased_traceidratio: () =>
      new base.ParentBasedSampler({ root: new base.TraceIdRatioBasedSampler(ratio) }),
  } as const;

  const provider = new NodeTracerProvider({
    resource,
    sampler: samplers[settings.OTEL_TRACES_SAMPLER](),
    // X-Ray's trace ids begin with the start time; W3C accepts them as they are.
    idGenerator: new AWSXRayIdGenerator(),
    spanProcessors: [new base.BatchSpanProcessor(exporter)],
  });
  const propagators = settings.OTEL_PROPAGATORS.flatMap((name) =>
    name === 'tracecontext'
      ? [new W3CTraceContextPropagator()]
      : name === 'baggage'
        ? [new W3CBaggagePropagator()]
        : name === 'xray'
          ? [new AWSXRayPropagator()]
          : [],
  );
  provider.register({ propagator: new CompositePropagator({ propagators }) });

  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Incoming requests get their span from the API's own Fastify hooks (route names).
      new HttpInstrumentation({
        disableIncomingRequestInstrumentation: true,
        requireParentforOutgoingSpans: true,
      }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  // The modules were loaded before the SDK: requiring them again lets the instrumentation
  // patch their exports, and the sync carries that to `import { request } from 'node:https'`.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  syncBuiltinESMExports();

  const state: Active = {
    users: 0,
    flush: () => provider.forceFlush(),
    async stop() {
      unregister();
      syncBuiltinESMExports();
      try {
        await provider.shutdown();
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
  active = state;
  return state;
}

/** `key=value,key2=value2` (values percent-encoded), as OTEL_RESOURCE_ATTRIBUTES. */
export function parseResourceAttributes(text: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    try {
      attributes[key] = decodeURIComponent(raw);
    } catch {
      attributes[key] = raw;
    }
  }
  return attributes;
}

const tracer = () => trace.getTracer(TRACER_NAME);

/** Trace and span ids of the active span, for log lines (pino `mixin`). */
export function traceLogFields(): Record<string, string> {
  if (!active) return {};
  const span = trace.getActiveSpan();
  return span ? spanLogFields(span) : {};
}

export function spanLogFields(span: Span): Record<string, string> {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}`.slice(-2) };
}

/** Runs `fn` in a span of its own, ended (and marked failed on a throw) when it settles. */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!active) return fn(undefined);
  return tracer().startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failSpan(span: Span, error: unknown) {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Binds a callback to the active context (callbacks a pool calls back from another request's context). */
export function bindActiveContext<F extends (...args: never[]) => unknown>(fn: F): F {
  return active ? context.bind(context.active(), fn) : fn;
}

const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/**
 * Starts a server span continuing the caller's trace (traceparent, X-Amzn-Trace-Id, as the
 * propagators allow). Returns the span and the context to run the request in.
 */
export function startServerSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
): { span: Span; context: Context } | undefined {
  if (!active) return undefined;
  const parent = propagation.extract(context.active(), headers, headerGetter);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

// ---- database statements ----

export interface DbTarget {
  /** `pg` (node-postgres) or `pglite` (embedded). */
  driver: 'pg' | 'pglite';
  database?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

const MAX_STATEMENT = 2048;

/** Collapses whitespace, replaces literal strings and numbers with `?`, caps the length. */
export function sanitizeStatement(text: string): string {
  const clean = text
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/(?<![\w$.])-?\d+(?:\.\d+)?(?![\w.])/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > MAX_STATEMENT ? `${clean.slice(0, MAX_STATEMENT - 1)}…` : clean;
}

/**
 * A span for one statement, child of the active span; none outside a traced request or job
 * (pool checks, polling, LISTEN), which would otherwise each be a trace of their own.
 */
export function startDbSpan(target: DbTarget, text: string): Span | undefined {
  if (!active) return undefined;
  const parent = context.active();
  if (!trace.getSpan(parent)) return undefined;
  const statement = sanitizeStatement(text);
  const operation = /^[A-Za-z]+/.exec(statement)?.[0]?.toUpperCase() ?? 'QUERY';
  const database = target.database ?? 'postgres';
  return tracer().startSpan(
    `${operation} ${database}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'postgresql',
        'db.system.name': 'postgresql',
        'db.name': database,
        'db.statement': statement,
        'db.operation': operation,
        'e3d.db.driver': target.driver,
        ...(target.host ? { 'server.address': target.host } : {}),
        ...(target.port ? { 'server.port': target.port } : {}),
      },
    },
    parent,
  );
}

export function endDbSpan(span: Span | undefined, error?: unknown) {
  if (!span) return;
  if (error) failSpan(span, error);
  span.end();
}

/** Runs one statement in a database span (when tracing is on and a span is active). */
export async function traceStatement<T>(target: DbTarget, text: string, run: () => Promise<T>): Promise<T> {
  if (!active) return run();
  const span = startDbSpan(target, text);
  if (!span) return run();
  try {
    const result = await run();
    span.end();
    return result;
  } catch (error) {
    endDbSpan(span, error);
    throw error;
  }
}

export { context, type Span, SpanKind, SpanStatusCode, trace };
