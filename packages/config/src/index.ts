import path from 'node:path';
import { UPLOAD_MAX_BYTES } from '@e3d/contracts/limits';
import { z } from 'zod';

/**
 * Every setting of the platform, parsed once. Code never reads process.env elsewhere:
 * it receives a `Config`. An empty value counts as unset (as in most .env files); a
 * present-but-invalid value is a start-up error that names the setting.
 */

const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUnset, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess(emptyAsUnset, schema.default(fallback as never));

const port = z.coerce.number().int().min(0).max(65535);

const urlWithProtocols = (protocols: string[], example: string) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL like ${example}` },
  );

const httpUrl = urlWithProtocols(['http:', 'https:'], 'https://cdn.example.com').transform((value) =>
  value.replace(/\/+$/, ''),
);

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const settingsSchema = z.object({
  NODE_ENV: withDefault(z.enum(['development', 'production', 'test']), 'development'),
  LOG_LEVEL: withDefault(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info'),
  HOST: withDefault(z.string().min(1), '0.0.0.0'),
  API_PORT: withDefault(port, 4000),
  /** Where the API is reachable from a browser; the base of asset URLs when no CDN is set. */
  PUBLIC_API_URL: optional(httpUrl),
  /** Folder for everything the embedded defaults keep: PGlite data, stored assets, secrets. */
  DATA_DIR: withDefault(z.string().min(1), '.data'),
  DATABASE_URL: optional(urlWithProtocols(['postgres:', 'postgresql:'], 'postgres://user:pass@host:5432/db')),
  DATABASE_POOL_MAX: withDefault(z.coerce.number().int().min(1).max(500), 10),
  REDIS_URL: optional(urlWithProtocols(['redis:', 'rediss:'], 'redis://host:6379')),
  CACHE_TTL_SECONDS: withDefault(z.coerce.number().int().min(0).max(86_400), 300),
  CACHE_ENABLED: withDefault(booleanFlag, 'true'),
  JWT_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  S3_BUCKET: optional(
    z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'),
  ),
  /** For S3-compatible stores (MinIO, LocalStack); unset on AWS. */
  S3_ENDPOINT: optional(httpUrl),
  CLOUDFRONT_URL: optional(httpUrl),
  /** Distribution whose non-hashed paths are invalidated when an asset is replaced or deleted. */
  CLOUDFRONT_DISTRIBUTION_ID: optional(
    z.string().regex(/^E[A-Z0-9]{5,20}$/, 'must be a CloudFront distribution id like E2ABCDEF123456'),
  ),
  AWS_REGION: withDefault(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like eu-west-1'),
    'us-east-1',
  ),
  SENTRY_DSN: optional(urlWithProtocols(['http:', 'https:'], 'https://key@o0.ingest.sentry.io/0')),
  /** Sentry's environment tag; unset = NODE_ENV. */
  SENTRY_ENVIRONMENT: optional(z.string().trim().min(1).max(64)),
  /** Share of page loads and requests Sentry traces (0 = errors only). */
  SENTRY_TRACES_SAMPLE_RATE: withDefault(z.coerce.number().min(0).max(1), 0),
  /** OTLP/HTTP collector (the ADOT sidecar: http://localhost:4318); unset = no traces. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(httpUrl),
  OTEL_EXPORTER_OTLP_PROTOCOL: withDefault(
    z.enum(['http/protobuf', 'http/json'], {
      message: 'must be http/protobuf or http/json (grpc is not supported)',
    }),
    'http/protobuf',
  ),
  /** otlp turns traces on (to http://localhost:4318 unless an endpoint is set); none turns them off. */
  OTEL_TRACES_EXPORTER: optional(z.enum(['otlp', 'none'])),
  /** Unset = e3d-api or e3d-worker. */
  OTEL_SERVICE_NAME: optional(z.string().trim().min(1).max(100)),
  /** key=value,key2=value2 added to every span's resource. */
  OTEL_RESOURCE_ATTRIBUTES: optional(
    z.string().regex(/^[^=,]+=[^,]*(,[^=,]+=[^,]*)*$/, 'must be key=value,key2=value2'),
  ),
  OTEL_PROPAGATORS: withDefault(
    z
      .string()
      .transform((value) => value.split(',').map((name) => name.trim()))
      .pipe(z.array(z.enum(['tracecontext', 'baggage', 'xray', 'none']))),
    'tracecontext,baggage',
  ),
  OTEL_TRACES_SAMPLER: withDefault(
    z.enum([
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ]),
    'parentbased_always_on',
  ),
  /** The ratio of the traceidratio samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: withDefault(z.coerce.number().min(0).max(1), 1),
  /** The storefront's public URL: CORS origin, links in emails (password reset). */
  STOREFRONT_URL: withDefault(httpUrl, 'http://localhost:3000'),
  /** The admin app's public URL: CORS origin, links in staff emails. */
  ADMIN_URL: withDefault(httpUrl, 'http://localhost:3001'),
  /** Where the storefront accepts revalidation calls after a catalog change; unset = none. */
  STOREFRONT_REVALIDATE_URL: optional(httpUrl),
  /** Bearer token sent with revalidation calls; unset = generated once and kept under DATA_DIR. */
  REVALIDATE_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  /** outbox (.eml files under DATA_DIR/outbox), ses or smtp. */
  MAIL_DRIVER: withDefault(z.enum(['outbox', 'ses', 'smtp']), 'outbox'),
  MAIL_FROM: withDefault(z.string().min(3), 'ecommerce-3d <shop@localhost>'),
  /** The shop's name in order emails. */
  SHOP_NAME: withDefault(z.string().trim().min(1).max(100), 'ecommerce-3d demo shop'),
  SMTP_URL: optional(urlWithProtocols(['smtp:', 'smtps:'], 'smtps://user:pass@smtp.example.com:465')),
  MODEL_MAX_BYTES: withDefault(z.coerce.number().int().min(1024), UPLOAD_MAX_BYTES.model),
  MODEL_MAX_TRIANGLES: withDefault(z.coerce.number().int().min(1), 2_000_000),
  TEXTURE_MAX_PIXELS: withDefault(z.coerce.number().int().min(1), 8192 * 8192),
  IMAGE_MAX_BYTES: withDefault(z.coerce.number().int().min(1024), UPLOAD_MAX_BYTES.image),
  IMAGE_MAX_PIXELS: withDefault(z.coerce.number().int().min(1), 50_000_000),
  MODEL_PRESET: withDefault(z.enum(['web', 'ar', 'high']), 'web'),
  WORKER_CONCURRENCY: withDefault(z.coerce.number().int().min(1).max(64), 2),
  /** Proxies in front of the API (1 behind the ALB, 2 with CloudFront too); 0 = X-Forwarded-For is ignored. */
  /** Stripe secret key (sk_… or rk_…); unset = the built-in test payment provider. */
  STRIPE_SECRET_KEY: optional(z.string().min(8)),
  /** Signing secret of the Stripe webhook endpoint (whsec_…); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: optional(z.string().min(8)),
  /** Where the Stripe API answers: unset = api.stripe.com; set for stripe-mock or a local stand-in. */
  STRIPE_API_URL: optional(httpUrl),
  /** Stripe publishable key (pk_…) the storefront's Payment Element uses; with STRIPE_SECRET_KEY. */
  STRIPE_PUBLISHABLE_KEY: optional(
    z.string().regex(/^pk_(test|live)_[A-Za-z0-9]+$/, 'must be like pk_live_...'),
  ),
  PAYMENT_CAPTURE_METHOD: withDefault(z.enum(['automatic', 'manual']), 'automatic'),
  /** Signs the test provider's webhooks; unset = generated under DATA_DIR. */
  PAYMENT_WEBHOOK_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
  TRUST_PROXY_HOPS: withDefault(z.coerce.number().int().min(0).max(5), 0),
  SHUTDOWN_GRACE_MS: withDefault(z.coerce.number().int().min(0).max(120_000), 10_000),
});

export type Settings = z.output<typeof settingsSchema>;

export interface Config extends Settings {
  /** DATA_DIR resolved to an absolute path. */
  dataDir: string;
  /** Base URL that stored asset keys are appended to. */
  assetBaseUrl: string;
  publicApiUrl: string;
}

export class ConfigError extends Error {
  readonly issues: { setting: string; message: string }[];
  constructor(issues: { setting: string; message: string }[]) {
    super(
      `Invalid settings:\n${issues.map((i) => `  ${i.setting}: ${i.message}`).join('\n')}\nSee .env.example for every setting.`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cwd = process.cwd(),
): Config {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        setting: String(issue.path[0] ?? '(root)'),
        message: issue.message,
      })),
    );
  }
  const settings = parsed.data;
  const publicApiUrl = settings.PUBLIC_API_URL ?? `http://localhost:${settings.API_PORT}`;
  return {
    ...settings,
    dataDir: path.resolve(cwd, settings.DATA_DIR),
    publicApiUrl,
    assetBaseUrl: settings.CLOUDFRONT_URL ?? publicApiUrl,
  };
}

/** The names of every setting, in the order of the schema (the .env.example test uses it). */
export const settingNames = Object.keys(settingsSchema.shape) as (keyof Settings)[];
