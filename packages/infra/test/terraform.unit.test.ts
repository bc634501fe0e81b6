// HCL expressions come back from the parser as "${…}" strings; the expectations spell them that way.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations, not JS templates
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Body,
  findReferenceProblems,
  findTestProblems,
  parseHcl,
  parseTerraform,
  readFiles,
  readTerraformDir,
  requiredProviders,
  type TerraformConfig,
} from '../src/terraform.ts';

const terraformDir = fileURLToPath(new URL('../../../infra/terraform/', import.meta.url));
const taskTemplatePath = fileURLToPath(new URL('../../../infra/ecs-task.json', import.meta.url));
const lambdaPath = fileURLToPath(new URL('../../../infra/lambda/invalidate/index.mjs', import.meta.url));
const testsDir = fileURLToPath(new URL('../../../infra/terraform/tests/', import.meta.url));

const REQUIRED_FILES = [
  'versions.tf',
  'providers.tf',
  'backend.tf',
  'variables.tf',
  'network.tf',
  'alb.tf',
  'ecs.tf',
  'ecr.tf',
  'rds.tf',
  'elasticache.tf',
  's3.tf',
  'cloudfront.tf',
  'lambda-invalidation.tf',
  'ssm-params.tf',
  'iam.tf',
  'waf.tf',
  'route53.tf',
  'ses.tf',
  'monitoring.tf',
  'ecs-bluegreen.tf',
  'outputs.tf',
];

const SERVICES = ['api', 'web-client', 'admin', 'worker'];

let tf: TerraformConfig;

beforeAll(async () => {
  tf = await parseTerraform(readTerraformDir(terraformDir));
});

function resource(address: string): Body {
  const body = tf.resources.get(address);
  if (!body) throw new Error(`${address} is not declared`);
  return body;
}

function resourcesOfType(type: string): [string, Body][] {
  return [...tf.resources].filter(([address]) => address.startsWith(`${type}.`));
}

/** The first nested block called `name` (hcl2json gives nested blocks as arrays). */
function block(body: Body, name: string): Body {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (!first) throw new Error(`no ${name} block`);
  return first;
}

function blocks(body: Body, name: string): Body[] {
  const value = body[name];
  return Array.isArray(value) ? value : value ? [value] : [];
}

/** A local that is an object literal, as parsed. */
function localObject(name: string): Body {
  const value = tf.locals.get(name);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`local.${name} is not an object`);
  return value as Body;
}

function localList(name: string): Body[] {
  const value = tf.locals.get(name);
  if (!Array.isArray(value)) throw new Error(`local.${name} is not a list`);
  return value as Body[];
}

/** A variable's default, or the literal itself; `${var.x}` resolves to x's default. */
function resolve(value: unknown): unknown {
  const match = typeof value === 'string' ? /^\$\{var\.([a-z0-9_]+)\}$/.exec(value) : null;
  return match?.[1] ? tf.variables.get(match[1])?.default : value;
}

type NameValue = { name: string; value: string };
type NameValueFrom = { name: string; valueFrom: string };

/**
 * Resolves whole-expression references to literal locals (`${local.ports.api}`,
 * `${tostring(local.ports["web-client"])}`, `${local.backend_environment["LOG_LEVEL"]}`) until
 * what is left is a literal or an expression over variables and resources, so two spellings of
 * the same value compare equal.
 */
function normalize(value: string): string {
  const match = /^\$\{(tostring\()?local\.([a-z0-9_]+)((?:\.[A-Za-z0-9_-]+|\["[^"]+"\])*)(\))?\}$/.exec(
    value,
  );
  if (!match || Boolean(match[1]) !== Boolean(match[4])) return value;
  let resolved: unknown = tf.locals.get(match[2] ?? '');
  for (const [, dotted, quoted] of (match[3] ?? '').matchAll(/\.([A-Za-z0-9_-]+)|\["([^"]+)"\]/g)) {
    resolved = (resolved as Body | undefined)?.[(dotted ?? quoted) as string];
  }
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  return typeof resolved === 'string' ? normalize(resolved) : value;
}

interface TerraformContainer {
  /** Always set: name → value expression. */
  env: Map<string, string>;
  /** Set only when a variable turns them on (`cond ? {} : { NAME = expr }`). */
  optionalEnv: Map<string, string>;
  secrets: string[];
  /** From a resource that exists only when a variable turns it on (for_each over a conditional set). */
  optionalSecrets: string[];
}

/** What `local.containers[name]` gives the app container, read from the locals it merges. */
function terraformContainer(name: string): TerraformContainer {
  const container = localObject('containers')[name] as Body;
  const result: TerraformContainer = {
    env: new Map(),
    optionalEnv: new Map(),
    secrets: [],
    optionalSecrets: [],
  };
  const environment = String(container.environment);
  expect(environment).toMatch(/^\$\{merge\(/);
  for (const [, local, inline] of environment.matchAll(/local\.([a-z0-9_]+)|\{([^{}]*)\}/g)) {
    if (inline !== undefined) {
      for (const [, key, text] of inline.matchAll(/([A-Z][A-Z0-9_]*)\s*=\s*"([^"]*)"/g)) {
        result.env.set(key as string, text as string);
      }
      continue;
    }
    const value = tf.locals.get(local as string);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, expression] of Object.entries(value)) result.env.set(key, String(expression));
    } else {
      // `cond ? {} : { NAME = expr }`
      expect(String(value), `local.${local}`).toMatch(/\? \{\} :/);
      for (const [, key, expression] of String(value).matchAll(/([A-Z][A-Z0-9_]*)\s*=\s*([^,}]+?)\s*\}/g)) {
        result.optionalEnv.set(key as string, `\${${expression}}`);
      }
    }
  }
  const secrets = container.secrets;
  const secretLocals = Array.isArray(secrets)
    ? []
    : [...String(secrets).matchAll(/local\.([a-z0-9_]+)/g)].map((m) => m[1] as string);
  for (const local of secretLocals) {
    const value = tf.locals.get(local);
    if (Array.isArray(value)) {
      result.secrets.push(...(value as Body[]).map((s) => s.name as string));
    } else {
      // `[for name, parameter in aws_ssm_parameter.x : …]`: the names are the keys of its for_each.
      const source = /aws_ssm_parameter\.([a-z0-9_]+)/.exec(String(value))?.[1];
      const forEach = String(resource(`aws_ssm_parameter.${source}`).for_each);
      expect(forEach, `aws_ssm_parameter.${source}`).toMatch(/^\$\{var\.[a-z_]+ \?/);
      const [enabled] = forEach.split(':');
      result.optionalSecrets.push(
        ...[...(enabled ?? '').matchAll(/"([A-Z][A-Z0-9_]*)"/g)].map((m) => m[1] as string),
      );
    }
  }
  return result;
}

describe('terraform files', () => {
  it('has every file of the layout, and each one parses', () => {
    for (const file of REQUIRED_FILES) expect(Object.keys(tf.files), file).toContain(file);
  });

  it('declares every variable, local, resource, data source and module it references', async () => {
    expect(await findReferenceProblems(tf)).toEqual([]);
  });

  it('the reference check fails on an undeclared variable, resource, data source, local and provider', async () => {
    const broken = await parseTerraform({
      'variables.tf': 'variable "known" {\n  type = string\n}\n',
      'main.tf': [
        'resource "aws_s3_bucket" "a" {',
        '  bucket = "${var.known}-${var.unknown}"',
        '  tags   = { Name = local.missing }',
        '}',
        'resource "aws_s3_bucket_versioning" "a" {',
        '  provider = aws.eu',
        '  bucket = aws_s3_bucket.nope.id',
        '  policy = data.aws_iam_policy_document.absent.json',
        '}',
      ].join('\n'),
    });
    expect((await findReferenceProblems(broken)).sort()).toEqual(
      [
        'main.tf: undeclared aws_s3_bucket.nope',
        'main.tf: undeclared data.aws_iam_policy_document.absent',
        'main.tf: undeclared local.missing',
        'main.tf: unconfigured provider aws.eu',
        'main.tf: undeclared variable var.unknown',
      ].sort(),
    );
  });

  it('rejects HCL that does not parse', async () => {
    await expect(parseTerraform({ 'bad.tf': 'resource "aws_s3_bucket" "a" {\n' })).rejects.toThrow(/bad\.tf/);
  });

  it('keeps state in S3 with a DynamoDB lock (partial backend configuration)', () => {
    const backends = tf.terraform.flatMap((t) => blocks(t, 'backend'));
    const s3 = backends.find((b) => b.s3)?.s3?.[0];
    expect(s3).toBeDefined();
    expect(s3.dynamodb_table).toBeTruthy();
    expect(s3.encrypt).toBe(true);
    expect(readTerraformDir(terraformDir)['backend.tf']).toContain('terraform init -backend-config');
  });

  it('has the tfvars example of the guide', () => {
    const example = readFileSync(`${terraformDir}/terraform.tfvars.example`, 'utf8');
    for (const name of [
      'aws_region',
      'domain_name',
      'certificate_arn',
      'github_repo',
      'image_tag',
      'alarm_email',
    ]) {
      expect(example).toMatch(new RegExp(`^${name}\\s*=`, 'm'));
      expect(tf.variables.has(name), name).toBe(true);
    }
  });
});

// `terraform test` itself runs where Terraform and its providers are (CI's terraform job, .ci/run
// when terraform is on PATH); here the test files are parsed and checked against the module.
describe('terraform test (infra/terraform/tests)', () => {
  const sources = existsSync(testsDir) ? readFiles(testsDir, '.tftest.hcl') : {};
  let tests: Record<string, Body>;
  beforeAll(async () => {
    tests = {};
    for (const [name, text] of Object.entries(sources)) tests[name] = await parseHcl(name, text);
  });
  const test = () => {
    const plan = tests['plan.tftest.hcl'];
    if (!plan) throw new Error('no infra/terraform/tests/plan.tftest.hcl');
    return plan;
  };

  it('has a plan test, and every test file parses', () => {
    expect(Object.keys(sources)).toContain('plan.tftest.hcl');
    expect(Object.keys(tests).sort()).toEqual(Object.keys(sources).sort());
  });

  it('mocks every provider, plans only, and sets only variables the module declares', async () => {
    expect(requiredProviders(tf).sort()).toEqual(['archive', 'aws', 'random']);
    expect([...tf.providers]).toContain('aws.us_east_1');
    expect(Object.keys(tests).length).toBeGreaterThan(0);
    for (const [name, json] of Object.entries(tests)) {
      expect(await findTestProblems(tf, name, json), name).toEqual([]);
    }
  });

  it('plans with the values of terraform.tfvars.example', async () => {
    const example = await parseHcl(
      'terraform.tfvars.example',
      readFileSync(`${terraformDir}/terraform.tfvars.example`, 'utf8'),
    );
    const [variables] = (test().variables ?? []) as Body[];
    expect(variables).toEqual(example);
  });

  it('asserts the listener rules, ECS launch types, a private bucket, CloudFront OAC and encrypted RDS', () => {
    const [run] = Object.values(test().run ?? {}).flat() as Body[];
    const conditions = ((run?.assert ?? []) as Body[]).map((a) => String(a.condition)).join('\n');
    for (const address of [
      'aws_lb_listener.http',
      'aws_lb_listener.https',
      'aws_lb_listener_rule.api.condition',
      'aws_lb_listener_rule.admin.condition',
      'aws_ecs_service.api.launch_type',
      'aws_ecs_service.web_client.launch_type',
      'aws_ecs_service.admin.launch_type',
      'aws_ecs_service.worker.capacity_provider_strategy',
      'aws_s3_bucket_public_access_block.assets.restrict_public_buckets',
      'aws_cloudfront_origin_access_control.assets.signing_behavior',
      'aws_db_instance.main.storage_encrypted',
    ]) {
      expect(conditions, address).toContain(address);
    }
  });

  it('the check fails on a missing mock, a real provider, an apply, an unknown variable and a bad reference', async () => {
    const broken = await parseHcl(
      'broken.tftest.hcl',
      [
        'provider "aws" {',
        '  region = "eu-west-1"',
        '}',
        'mock_provider "random" {}',
        'mock_provider "aws" {',
        '  mock_data "aws_vpc" {',
        '    defaults = { id = "vpc-1" }',
        '  }',
        '}',
        'variables {',
        '  domain_name = "shop.example.com"',
        '  domian_name = "typo.example.com"',
        '}',
        'run "apply" {',
        '  command = apply',
        '  assert {',
        '    condition     = alltrue([for r in aws_lb_listener_rule.nope.condition : r != null]) && var.nope == ""',
        '    error_message = "x"',
        '  }',
        '}',
      ].join('\n'),
    );
    const problems = await findTestProblems(tf, 'broken.tftest.hcl', broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'broken.tftest.hcl: no mock_provider for archive',
        'broken.tftest.hcl: no mock_provider for aws.us_east_1',
        'broken.tftest.hcl: a real provider block (aws) needs credentials and the network',
        'broken.tftest.hcl: mock_data aws_vpc (aws) mocks no data source of the module',
        'broken.tftest.hcl: run "apply" is not command = plan',
        'broken.tftest.hcl: variable domian_name is not declared in the module',
        'broken.tftest.hcl: required variable certificate_arn not set',
        'broken.tftest.hcl: undeclared aws_lb_listener_rule.nope',
        'broken.tftest.hcl: undeclared variable var.nope',
      ]),
    );
    expect(problems).not.toContain('broken.tftest.hcl: no mock_provider for random');
    expect(problems).not.toContain('broken.tftest.hcl: required variable domain_name not set');
  });
});

describe('network and load balancer', () => {
  it('spreads public and private subnets over two AZs with NAT', () => {
    expect(resource('aws_subnet.public').count).toBe(2);
    expect(resource('aws_subnet.private').count).toBe(2);
    expect(tf.resources.has('aws_nat_gateway.main')).toBe(true);
    expect(tf.resources.has('aws_internet_gateway.main')).toBe(true);
  });

  it('serves HTTPS with the certificate and redirects HTTP', () => {
    const https = resource('aws_lb_listener.https');
    expect(https.protocol).toBe('HTTPS');
    expect(https.certificate_arn).toBe('${var.certificate_arn}');
    const http = resource('aws_lb_listener.http');
    expect(block(block(http, 'default_action'), 'redirect').protocol).toBe('HTTPS');
    expect(block(https, 'default_action').target_group_arn).toBe('${aws_lb_target_group.web_client.arn}');
  });

  it('routes /api/* to the api and the admin host to the admin', () => {
    const rules = resourcesOfType('aws_lb_listener_rule').map(([, body]) => body);
    const apiRule = rules.find((r) =>
      blocks(r, 'condition').some((c) => c.path_pattern?.[0]?.values?.includes('/api/*')),
    );
    expect(apiRule).toBeDefined();
    expect(block(apiRule as Body, 'action').target_group_arn).toBe('${aws_lb_target_group.api.arn}');
    const adminRule = rules.find((r) => blocks(r, 'condition').some((c) => c.host_header));
    expect(adminRule).toBeDefined();
    expect(block(adminRule as Body, 'action').target_group_arn).toBe('${aws_lb_target_group.admin.arn}');
    expect(block(block(adminRule as Body, 'condition'), 'host_header').values).toEqual([
      '${local.admin_domain}',
    ]);
  });

  it('health-checks the api on /api/healthz and the Next apps on their own path', () => {
    expect(block(resource('aws_lb_target_group.api'), 'health_check').path).toBe('/api/healthz');
    expect(block(resource('aws_lb_target_group.web_client'), 'health_check').path).toBe('/healthz');
    expect(block(resource('aws_lb_target_group.admin'), 'health_check').path).toBe('/healthz');
  });
});

describe('ECS', () => {
  it('has a cluster with Container Insights and the four services', () => {
    const setting = block(resource('aws_ecs_cluster.main'), 'setting');
    expect(setting).toMatchObject({ name: 'containerInsights', value: 'enabled' });
    const names = resourcesOfType('aws_ecs_service').map(([, body]) => body.name);
    expect(names.sort()).toEqual([...SERVICES].sort());
  });

  it('runs the worker on Fargate Spot and rolls back failed deployments', () => {
    const worker = resource('aws_ecs_service.worker');
    expect(block(worker, 'capacity_provider_strategy').capacity_provider).toBe('FARGATE_SPOT');
    for (const name of ['web_client', 'admin', 'worker']) {
      expect(block(resource(`aws_ecs_service.${name}`), 'deployment_circuit_breaker')).toMatchObject({
        enable: true,
        rollback: true,
      });
    }
    const apiBreaker = block(block(resource('aws_ecs_service.api'), 'dynamic'), 'deployment_circuit_breaker');
    expect(block(apiBreaker, 'content')).toMatchObject({ enable: true, rollback: true });
  });

  it('scales api, web-client and admin on CPU', () => {
    expect(resource('aws_appautoscaling_policy.cpu').policy_type).toBe('TargetTrackingScaling');
    expect(Object.keys(localObject('autoscaled_services')).sort()).toEqual(['admin', 'api', 'web-client']);
    const config = block(
      resource('aws_appautoscaling_policy.cpu'),
      'target_tracking_scaling_policy_configuration',
    );
    expect(block(config, 'predefined_metric_specification').predefined_metric_type).toBe(
      'ECSServiceAverageCPUUtilization',
    );
  });

  it('runs one image with a command per service, an OTLP collector sidecar and awslogs', () => {
    const taskDef = resource('aws_ecs_task_definition.app');
    expect(taskDef.for_each).toBe('${local.containers}');
    expect(Object.keys(localObject('containers')).sort()).toEqual([...SERVICES, 'migrate'].sort());
    const commands = resolve('${var.service_commands}') as Record<string, string[]>;
    expect(Object.keys(commands).sort()).toEqual([...SERVICES, 'migrate'].sort());
    const definitions = taskDef.container_definitions as string;
    expect(definitions).toContain('command     = var.service_commands[each.key]');
    expect(definitions).toContain('logDriver = "awslogs"');
    expect(definitions).toContain('local.otel_collector_container_name');
    expect(localObject('otel_environment').OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://localhost:4318');
  });

  it('passes the settings secrets from SSM and Secrets Manager', () => {
    const secrets = Object.fromEntries(localList('backend_secrets').map((s) => [s.name, s.valueFrom]));
    expect(secrets).toMatchObject({
      DATABASE_URL: '${aws_ssm_parameter.database_url.arn}',
      REDIS_URL: '${aws_ssm_parameter.redis_url.arn}',
      S3_BUCKET: '${aws_ssm_parameter.s3_bucket.arn}',
      CLOUDFRONT_URL: '${aws_ssm_parameter.cloudfront_url.arn}',
      JWT_SECRET: '${aws_secretsmanager_secret.jwt_secret.arn}',
    });
    expect(resource('aws_ssm_parameter.database_url').value).toContain('aws_db_proxy.main.endpoint');
    expect(resource('aws_ssm_parameter.database_url').type).toBe('SecureString');
    expect(resource('aws_secretsmanager_secret_version.jwt_secret').secret_string).toBe(
      '${random_password.jwt_secret.result}',
    );
  });

  it('gives no container a plain setting that is also a secret', () => {
    const plain = Object.keys(localObject('backend_environment'));
    const secret = localList('backend_secrets').map((s) => s.name);
    expect(plain.filter((name) => secret.includes(name))).toEqual([]);
  });

  it('lets the execution role read exactly the task parameters and secrets', () => {
    const doc = tf.data.get('data.aws_iam_policy_document.task_execution_secrets') as Body;
    const text = JSON.stringify(doc);
    for (const ref of [
      'aws_ssm_parameter.database_url.arn',
      'aws_ssm_parameter.redis_url.arn',
      'aws_ssm_parameter.s3_bucket.arn',
      'aws_ssm_parameter.cloudfront_url.arn',
      'aws_secretsmanager_secret.jwt_secret.arn',
    ]) {
      expect(text).toContain(ref);
    }
    expect(text).not.toContain('"*"');
  });
});

describe('data stores', () => {
  it('runs encrypted Postgres 16 with 7-day PITR, Performance Insights and deletion protection', () => {
    const db = resource('aws_db_instance.main');
    expect(db.engine).toBe('postgres');
    expect(String(db.engine_version)).toMatch(/^16/);
    expect(db.backup_retention_period).toBeGreaterThanOrEqual(7);
    expect(db.storage_encrypted).toBe(true);
    expect(db.performance_insights_enabled).toBe(true);
    expect(db.deletion_protection).toBe(true);
    expect(db.publicly_accessible).toBe(false);
    expect(db.db_subnet_group_name).toBe('${aws_db_subnet_group.main.name}');
  });

  it('puts RDS Proxy in front of it with its secret and role', () => {
    const proxy = resource('aws_db_proxy.main');
    expect(proxy.engine_family).toBe('POSTGRESQL');
    expect(block(proxy, 'auth').secret_arn).toBe('${aws_secretsmanager_secret.db_credentials.arn}');
    expect(proxy.role_arn).toBe('${aws_iam_role.rds_proxy.arn}');
    expect(tf.resources.has('aws_db_proxy_target.main')).toBe(true);
  });

  it('encrypts Redis in transit and at rest', () => {
    const redis = resource('aws_elasticache_replication_group.main');
    expect(redis.transit_encryption_enabled).toBe(true);
    expect(redis.at_rest_encryption_enabled).toBe(true);
    expect(resource('aws_ssm_parameter.redis_url').value).toMatch(/^rediss:\/\//);
  });

  it('keeps assets private and versioned, with model versions moving to Glacier after 90 days', () => {
    const block_ = resource('aws_s3_bucket_public_access_block.assets');
    for (const key of [
      'block_public_acls',
      'block_public_policy',
      'ignore_public_acls',
      'restrict_public_buckets',
    ]) {
      expect(block_[key], key).toBe(true);
    }
    expect(block(resource('aws_s3_bucket_versioning.assets'), 'versioning_configuration').status).toBe(
      'Enabled',
    );
    const rules = blocks(resource('aws_s3_bucket_lifecycle_configuration.assets'), 'rule');
    const glacier = rules.find((r) =>
      blocks(r, 'noncurrent_version_transition').some(
        (t) => t.storage_class === 'GLACIER' && t.noncurrent_days === 90,
      ),
    );
    expect(glacier).toBeDefined();
    expect(block(glacier as Body, 'filter').prefix).toBe('assets/models/');
  });

  it('lets the admin origin POST uploads straight to the bucket', () => {
    const rules = blocks(resource('aws_s3_bucket_cors_configuration.assets'), 'cors_rule');
    expect(
      rules.some(
        (r) => r.allowed_methods.includes('POST') && r.allowed_origins.includes('${local.admin_url}'),
      ),
    ).toBe(true);
  });
});

describe('CDN, protection, DNS, mail', () => {
  it('reads S3 through origin access control with an immutable, compressed /assets/* behaviour', () => {
    const cdn = resource('aws_cloudfront_distribution.assets');
    const s3Origin = blocks(cdn, 'origin').find((o) => o.origin_access_control_id);
    expect(s3Origin?.origin_access_control_id).toBe('${aws_cloudfront_origin_access_control.assets.id}');
    const behaviours = blocks(cdn, 'ordered_cache_behavior');
    const assets = behaviours.find((b) => b.path_pattern === '/assets/*');
    expect(assets).toMatchObject({ compress: true, target_origin_id: s3Origin?.origin_id });
    const policy = resource('aws_cloudfront_cache_policy.immutable');
    expect(assets?.cache_policy_id).toBe('${aws_cloudfront_cache_policy.immutable.id}');
    expect(policy.default_ttl).toBeGreaterThanOrEqual(31536000);
    expect(behaviours.some((b) => b.path_pattern === '/draco/*')).toBe(true);
  });

  it('associates WAF with the ALB and CloudFront (us-east-1)', () => {
    expect(resource('aws_wafv2_web_acl_association.alb').resource_arn).toBe('${aws_lb.main.arn}');
    const cdnAcl = resource('aws_wafv2_web_acl.cloudfront');
    expect(cdnAcl.scope).toBe('CLOUDFRONT');
    expect(cdnAcl.provider).toBe('${aws.us_east_1}');
    expect(resource('aws_cloudfront_distribution.assets').web_acl_id).toBe(
      '${aws_wafv2_web_acl.cloudfront.arn}',
    );
    const providers = tf.files['providers.tf']?.provider?.aws as Body[];
    expect(providers.some((p) => p.alias === 'us_east_1' && p.region === 'us-east-1')).toBe(true);
  });

  it('has the invalidation Lambda, its source and only the invalidation right', () => {
    const fn = resource('aws_lambda_function.invalidate');
    expect(fn.filename).toBe('${data.archive_file.invalidate.output_path}');
    const policy = JSON.stringify(tf.data.get('data.aws_iam_policy_document.invalidate'));
    expect(policy).toContain('cloudfront:CreateInvalidation');
    expect(policy).toContain('aws_cloudfront_distribution.assets.arn');
    expect(readFileSync(lambdaPath, 'utf8')).toContain('CreateInvalidationCommand');
  });

  it('has DNS records and an SES identity with DKIM', () => {
    for (const name of ['storefront', 'admin', 'cdn', 'ses_dkim']) {
      expect(tf.resources.has(`aws_route53_record.${name}`), name).toBe(true);
    }
    expect(tf.resources.has('aws_sesv2_email_identity.domain')).toBe(true);
  });
});

describe('monitoring and outputs', () => {
  it('keeps logs 30 days', () => {
    const groups = resourcesOfType('aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const [address, body] of groups) expect(resolve(body.retention_in_days), address).toBe(30);
  });

  it('alarms on ALB 5xx, service CPU above 80 % and RDS connections, to SNS', () => {
    const alarms = resourcesOfType('aws_cloudwatch_metric_alarm').map(([, body]) => body);
    const toSns = (a: Body) => a.alarm_actions?.includes('${aws_sns_topic.alarms.arn}');
    expect(alarms.some((a) => /5XX/.test(a.metric_name) && toSns(a))).toBe(true);
    const cpu = resource('aws_cloudwatch_metric_alarm.service_cpu');
    expect(cpu.for_each).toBe('${local.ecs_service_names}');
    expect(Object.keys(localObject('ecs_service_names')).sort()).toEqual([...SERVICES].sort());
    expect(resolve(cpu.threshold)).toBe(80);
    expect(toSns(cpu)).toBe(true);
    expect(alarms.some((a) => a.metric_name === 'DatabaseConnections' && toSns(a))).toBe(true);
    expect(tf.resources.has('aws_sns_topic_subscription.alarm_email')).toBe(true);
  });

  it('has optional CodeDeploy blue/green for the api', () => {
    const group = resource('aws_codedeploy_deployment_group.api');
    expect(group.count).toBe('${var.enable_blue_green ? 1 : 0}');
    expect(resolve('${var.enable_blue_green}')).toBe(false);
  });

  it('has an ECR repository scanning on push and keeping 30 images', () => {
    expect(block(resource('aws_ecr_repository.app'), 'image_scanning_configuration').scan_on_push).toBe(true);
    expect(resource('aws_ecr_lifecycle_policy.app').policy).toContain('countNumber = 30');
  });

  it('outputs what CI and the guide use', () => {
    for (const name of ['ecr_repo_url', 'ecs_cluster_name', 'web_alb_dns', 'cloudfront_domain']) {
      expect(tf.outputs.has(name), name).toBe(true);
    }
  });
});

describe('infra/ecs-task.json', () => {
  const template = JSON.parse(readFileSync(taskTemplatePath, 'utf8')) as {
    placeholders: string[];
    optional?: string[];
    taskDefinitions: Record<string, Body & { containerDefinitions: Body[]; family: string }>;
  };

  it('has a task definition per container of the Terraform, with the same containers', () => {
    expect(Object.keys(template.taskDefinitions).sort()).toEqual(
      Object.keys(localObject('containers')).sort(),
    );
    for (const [name, def] of Object.entries(template.taskDefinitions)) {
      expect(def.containerDefinitions.map((c) => c.name)).toEqual([name, 'aws-otel-collector']);
      expect(def.containerDefinitions[0]?.image).toBe('<IMAGE>');
    }
  });

  /** The raw expressions of `output "ecs_task_template_values"`, by placeholder name. */
  const templateValues = (): Record<string, string> => {
    const output = tf.outputs.get('ecs_task_template_values');
    if (!output) throw new Error('no output ecs_task_template_values');
    return output.value as Record<string, string>;
  };
  const optional = new Set(template.optional ?? []);
  const appContainer = (name: string) => template.taskDefinitions[name]?.containerDefinitions[0] as Body;

  it('passes the same environment names and secrets as the Terraform, optional ones included', () => {
    for (const name of Object.keys(localObject('containers'))) {
      const want = terraformContainer(name);
      const app = appContainer(name);
      const env = Object.fromEntries((app.environment as NameValue[]).map((e) => [e.name, e.value]));
      const secrets = Object.fromEntries((app.secrets as NameValueFrom[]).map((s) => [s.name, s.valueFrom]));
      expect(Object.keys(env).sort(), name).toEqual([...want.env.keys(), ...want.optionalEnv.keys()].sort());
      expect(Object.keys(secrets).sort(), name).toEqual([...want.secrets, ...want.optionalSecrets].sort());
      // Optional ones (SENTRY_DSN, STRIPE_*) are whole optional placeholders, so the render drops
      // them when Terraform has them off and keeps them when it has them on; no other entry is.
      for (const [entry, value] of [
        ...[...want.optionalEnv.keys()].map((e) => [e, env[e]]),
        ...want.optionalSecrets.map((s) => [s, secrets[s]]),
      ]) {
        expect(optional.has(String(value)), `${name} ${entry} = ${value}`).toBe(true);
      }
      for (const [entry, value] of [...Object.entries(env), ...Object.entries(secrets)]) {
        const isOptional = want.optionalEnv.has(entry) || want.optionalSecrets.includes(entry);
        if (!isOptional) expect(optional.has(String(value)), `${name} ${entry}`).toBe(false);
      }
    }
    // The optional sets are the ones of the review: Stripe on api and worker, Sentry on the Next apps.
    expect(terraformContainer('api').optionalSecrets.sort()).toEqual([
      'STRIPE_PUBLISHABLE_KEY',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ]);
    expect(terraformContainer('worker').optionalSecrets).toHaveLength(3);
    expect(terraformContainer('migrate').optionalSecrets).toEqual([]);
    for (const name of ['web-client', 'admin']) {
      expect([...terraformContainer(name).optionalEnv.keys()], name).toEqual(['SENTRY_DSN']);
    }
    for (const name of ['api', 'worker', 'migrate']) {
      expect([...terraformContainer(name).optionalEnv.keys()], name).toEqual([]);
    }
  });

  it('takes every environment value from where Terraform takes it (ecs_task_template_values)', () => {
    const values = templateValues();
    /** The template value with each <PLACEHOLDER> replaced by the output's expression for it. */
    const asTerraform = (value: string) =>
      normalize(
        value.replace(/<([A-Z][A-Z0-9_]*)>/g, (_match, key: string) => {
          const expression = values[key];
          if (expression === undefined) throw new Error(`ecs_task_template_values has no ${key}`);
          return expression;
        }),
      );
    for (const name of Object.keys(localObject('containers'))) {
      const want = terraformContainer(name);
      const env = new Map((appContainer(name).environment as NameValue[]).map((e) => [e.name, e.value]));
      for (const [entry, expression] of [...want.env, ...want.optionalEnv]) {
        expect(asTerraform(env.get(entry) ?? ''), `${name} ${entry}`).toBe(normalize(expression));
      }
      const secrets = new Map(
        (appContainer(name).secrets as NameValueFrom[]).map((s) => [s.name, s.valueFrom]),
      );
      for (const entry of want.optionalSecrets) {
        const expression = values[String(secrets.get(entry)).slice(1, -1)] ?? '';
        // "" when the parameter does not exist (enable_stripe off), its ARN otherwise.
        expect(expression, `${name} ${entry}`).toContain(`"${entry}"`);
        expect(expression).toMatch(/local\.stripe_secret_arns/);
      }
    }
    expect(String(tf.locals.get('stripe_secret_arns'))).toContain('aws_ssm_parameter.stripe');
    // Blue/green moves these off Service Connect; the template follows instead of fixing http://api:4000.
    expect(normalize(values.E3D_API_URL ?? '')).toContain('var.enable_blue_green');
    expect(asTerraform('<STOREFRONT_REVALIDATE_URL>')).toBe('${local.internal_storefront_url}/revalidate');
  });

  it('takes sizes, commands and the collector image from ecs_task_template_values', () => {
    const values = templateValues();
    const taskDef = resource('aws_ecs_task_definition.app');
    expect(taskDef.cpu).toBe('${local.task_sizes[each.key].cpu}');
    expect(taskDef.memory).toBe('${local.task_sizes[each.key].memory}');
    expect(taskDef.container_definitions).toMatch(/command\s*=\s*var\.service_commands\[each\.key\]/);
    expect(taskDef.container_definitions).toMatch(/image\s*=\s*var\.otel_collector_image/);
    for (const [name, def] of Object.entries(template.taskDefinitions)) {
      const key = (value: unknown) => /^<([A-Z][A-Z0-9_]*)>$/.exec(String(value))?.[1] ?? `literal ${value}`;
      expect(values[key(def.cpu)], `${name} cpu`).toBe(`\${tostring(local.task_sizes["${name}"].cpu)}`);
      expect(values[key(def.memory)], `${name} memory`).toBe(
        `\${tostring(local.task_sizes["${name}"].memory)}`,
      );
      const [app, sidecar] = def.containerDefinitions as Body[];
      expect(values[key(app?.command)], `${name} command`).toBe(`\${var.service_commands["${name}"]}`);
      expect(values[key(sidecar?.image)], `${name} collector`).toBe('${var.otel_collector_image}');
    }
  });

  it('has a value in ecs_task_template_values for every placeholder, and nothing else', () => {
    expect(Object.keys(templateValues()).sort()).toEqual(
      template.placeholders
        .filter((p) => p !== '<IMAGE>')
        .map((p) => p.slice(1, -1))
        .sort(),
    );
    for (const p of optional) expect(template.placeholders).toContain(p);
  });

  it('uses only declared placeholders', () => {
    const used = new Set(JSON.stringify(template.taskDefinitions).match(/<[A-Z][A-Z0-9_]*>/g));
    expect([...used].sort()).toEqual([...template.placeholders].sort());
  });
});
