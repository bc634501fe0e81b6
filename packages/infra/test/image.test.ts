// Dockerfile variables ("${PNPM_VERSION}") are spelled as the Dockerfile spells them.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dockerfile variables, not JS templates
/**
 * The production image (docker/Dockerfile) without a Docker engine.
 *
 * 1. Structure: the Dockerfile is read (stages, ARG/ENV/RUN/COPY/USER/HEALTHCHECK/ENTRYPOINT/CMD)
 *    and checked against what production needs: multi-stage, a current Node LTS, the pnpm of
 *    package.json's packageManager, a non-root user, a HEALTHCHECK, one command per ECS service
 *    (infra/ecs-task.json) in docker/entrypoint.sh; docker-compose.yml runs the stack from it.
 * 2. Replay: the build stages are replayed on this machine, in a temporary folder: the build
 *    context (the working tree minus .dockerignore) is copied in, each stage's RUN lines run
 *    verbatim (BuildKit --mount flags dropped; pnpm's store is this machine's) with the stage's
 *    ARG/ENV values, and the runtime stage's COPY lines assemble the image's /app from the stages'
 *    folders. Not replayed: the base stage's `npm install --global pnpm@…` (the same pnpm runs
 *    here: checked), `PNPM_HOME`/`PATH` (they only place the store in the cache mount) and the
 *    runtime stage's RUN lines (file ownership for the `node` user).
 * 3. Services: each command of docker/entrypoint.sh runs from that folder, as the container
 *    would run it — migrate (against a new Postgres database when Postgres answers on
 *    TEST_DATABASE_URL, else on the embedded PGlite), api (/api/healthz), worker (stays up),
 *    web-client and admin (/healthz, a file of .next/static and of public/) — and the image's
 *    HEALTHCHECK command must pass for each.
 *
 * The replay runs both `next build`s (a few minutes each) in its own copy, so a developer's
 * `next dev` (.next) and the storefront tests' build (.next-test) are never touched.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@e3d/testing/ports';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseTerraform, readTerraformDir } from '../src/terraform.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dockerfilePath = path.join(root, 'docker/Dockerfile');
const entrypointPath = path.join(root, 'docker/entrypoint.sh');
const SERVICES = ['api', 'worker', 'migrate', 'web-client', 'admin'] as const;

// ---------------------------------------------------------------------------------------------
// Dockerfile reading
// ---------------------------------------------------------------------------------------------

interface Instruction {
  op: string;
  args: string;
  line: number;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}
interface Dockerfile {
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** Logical lines (continuations joined, comments and parser directives dropped) as instructions. */
function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (buffer === '' && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (buffer !== '' && trimmed.startsWith('#')) return;
    if (buffer === '') start = index + 1;
    if (trimmed.endsWith('\\')) {
      buffer += `${trimmed.slice(0, -1).trim()} `;
      return;
    }
    buffer += trimmed;
    const match = /^(\w+)\s+([\s\S]*)$/.exec(buffer);
    if (!match) throw new Error(`Dockerfile line ${start}: cannot read "${buffer}"`);
    instructions.push({ op: (match[1] ?? '').toUpperCase(), args: (match[2] ?? '').trim(), line: start });
    buffer = '';
  });
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.op === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m) throw new Error(`Dockerfile line ${instruction.line}: cannot read FROM`);
      stages.push({ from: m[1] ?? '', name: m[2] ?? String(stages.length), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.op !== 'ARG') throw new Error(`${instruction.op} before the first FROM`);
      const [name, value] = splitArg(instruction.args);
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function splitArg(args: string): [string, string | undefined] {
  const eq = args.indexOf('=');
  return eq === -1
    ? [args.trim(), undefined]
    : [args.slice(0, eq).trim(), unquote(args.slice(eq + 1).trim())];
}

const unquote = (value: string) => value.replace(/^"([\s\S]*)"$/, '$1');

/** `ENV A=1 B="two words"` → pairs. */
function envPairs(args: string): [string, string][] {
  return [...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map((m) => [m[1] ?? '', unquote(m[2] ?? '')]);
}

function substitute(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => {
    return vars[a ?? b ?? ''] ?? '';
  });
}

/** Flags (`--from=build`, `--chown=…`, `--mount=…`) and the rest of an instruction's arguments. */
function splitFlags(args: string): { flags: Map<string, string>; rest: string } {
  const flags = new Map<string, string>();
  let rest = args;
  for (;;) {
    const m = /^--([\w-]+)(?:=(\S+))?\s+/.exec(rest);
    if (!m) break;
    flags.set(m[1] ?? '', m[2] ?? '');
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
}

/** JSON-array form (`["a", "b"]`) or the shell form as one string. */
function execForm(args: string): string[] | string {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args;
}

const dockerfileText = readFileSync(dockerfilePath, 'utf8');
const dockerfile = parseDockerfile(dockerfileText);
const stage = (name: string) => {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name} in docker/Dockerfile`);
  return found;
};
const lastStage = () => {
  const last = dockerfile.stages.at(-1);
  if (!last) throw new Error('docker/Dockerfile has no stage');
  return last;
};
const ops = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op);
const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  packageManager: string;
  engines: { node: string };
};

// ---------------------------------------------------------------------------------------------
// 1. Structure
// ---------------------------------------------------------------------------------------------

describe('docker/Dockerfile', () => {
  const runtime = lastStage();

  it('is multi-stage: deps -> build and prod-deps -> a slim runtime, the last stage', () => {
    const names = dockerfile.stages.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['deps', 'build', 'prod-deps', 'runtime']));
    expect(runtime.name).toBe('runtime');
    expect(stage('build').from).toBe('deps');
    expect(stage('prod-deps').from).toBe('deps');
    // The runtime starts from the plain base image, not from a stage that holds the build tools.
    expect(runtime.from).toBe('${BASE_IMAGE}');
    expect(ops(runtime, 'RUN').map((r) => r.args)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/\b(pnpm|npm|apt-get|npx)\b/)]),
    );
  });

  it('runs a current Node LTS that package.json engines accept', () => {
    const version = dockerfile.globalArgs.get('NODE_VERSION');
    expect(version).toMatch(/^\d+(\.\d+){0,2}$/);
    const major = Number(String(version).split('.')[0]);
    // LTS lines are the even majors; 20 is the floor of package.json's engines.
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(Number(/>=\s*(\d+)/.exec(rootPackage.engines.node)?.[1]));
    expect(major).toBeGreaterThanOrEqual(22);
    expect(dockerfile.globalArgs.get('BASE_IMAGE')).toBe('node:${NODE_VERSION}-bookworm-slim');
  });

  it('pulls nothing but BASE_IMAGE: no `# syntax=` frontend, every FROM a stage or the base', () => {
    // A syntax directive makes BuildKit pull a frontend image from a registry before it reads a line.
    expect(dockerfileText).not.toMatch(/^#\s*syntax\s*=/im);
    const names = new Set<string>();
    for (const s of dockerfile.stages) {
      expect(s.from === '${BASE_IMAGE}' || names.has(s.from), `${s.name} FROM ${s.from}`).toBe(true);
      names.add(s.name);
      for (const copy of ops(s, 'COPY')) {
        const from = splitFlags(copy.args).flags.get('from');
        if (from) expect(names.has(from), `COPY --from=${from} in ${s.name}`).toBe(true);
      }
      expect(ops(s, 'ADD'), s.name).toEqual([]);
      // The one network the build uses is the npm registry, through npm and pnpm.
      for (const run of ops(s, 'RUN')) expect(run.args, s.name).not.toMatch(/\b(curl|wget|apt-get|git)\b/);
    }
    // The label names the base actually used (a local one in scripts/image-smoke.sh).
    expect(ops(runtime, 'ARG').map((a) => a.args)).toContain('BASE_IMAGE');
    expect(
      ops(runtime, 'LABEL')
        .map((l) => l.args)
        .join(' '),
    ).toContain('org.opencontainers.image.base.name="${BASE_IMAGE}"');
  });

  it("installs the pnpm of package.json's packageManager, pinned", () => {
    const pinned = rootPackage.packageManager.replace(/^pnpm@/, '');
    expect(dockerfile.globalArgs.get('PNPM_VERSION')).toBe(pinned);
    const install = ops(stage('base'), 'RUN').find((r) => /pnpm@/.test(r.args));
    expect(install?.args).toContain('pnpm@${PNPM_VERSION}');
  });

  it('installs from the lockfile only, with the pnpm store in a BuildKit cache mount', () => {
    const installs = dockerfile.stages
      .flatMap((s) => ops(s, 'RUN'))
      .filter((r) => /\bpnpm (install|fetch)\b/.test(r.args));
    expect(installs.length).toBeGreaterThanOrEqual(3);
    for (const run of installs) {
      expect(run.args).toMatch(/--mount=type=cache,[^ ]*target=\/pnpm\/store/);
      if (/pnpm install/.test(run.args)) expect(run.args).toContain('--frozen-lockfile');
    }
    const prod = ops(stage('prod-deps'), 'RUN').map((r) => r.args);
    expect(prod.join('\n')).toMatch(/pnpm install .*--prod/);
  });

  it('builds both Next apps with telemetry off', () => {
    const runs = ops(stage('build'), 'RUN').map((r) => splitFlags(r.args).rest);
    expect(runs).toContain('pnpm --filter @e3d/web-client build');
    expect(runs).toContain('pnpm --filter @e3d/admin build');
    const env = Object.fromEntries(ops(stage('base'), 'ENV').flatMap((e) => envPairs(e.args)));
    expect(env.NEXT_TELEMETRY_DISABLED).toBe('1');
  });

  it("copies each Next app's standalone output with its .next/static and public/", () => {
    const copies = ops(runtime, 'COPY').map((c) => splitFlags(c.args).rest);
    for (const app of ['web-client', 'admin']) {
      expect(copies).toContain(`/repo/apps/${app}/.next/standalone ./web/${app}`);
      expect(copies).toContain(`/repo/apps/${app}/.next/static ./web/${app}/apps/${app}/.next/static`);
      expect(copies).toContain(`/repo/apps/${app}/public ./web/${app}/apps/${app}/public`);
    }
  });

  it('runs as the non-root node user, in production mode, with OCI labels', () => {
    const users = ops(runtime, 'USER');
    expect(users.at(-1)?.args).toBe('node');
    const env = Object.fromEntries(ops(runtime, 'ENV').flatMap((e) => envPairs(e.args)));
    expect(env.NODE_ENV).toBe('production');
    expect(env.HOSTNAME).toBe('0.0.0.0');
    const labels = ops(runtime, 'LABEL')
      .map((l) => l.args)
      .join(' ');
    for (const key of ['title', 'description', 'version', 'revision', 'created', 'licenses']) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
  });

  it('has a HEALTHCHECK, the entrypoint script as ENTRYPOINT and api as the default command', () => {
    const [healthcheck] = ops(runtime, 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    const { rest } = splitFlags(healthcheck?.args ?? '');
    expect(rest.startsWith('CMD ')).toBe(true);
    expect(execForm(rest.slice(4))).toEqual(['/app/docker/entrypoint.sh', 'healthcheck']);
    expect(execForm(ops(runtime, 'ENTRYPOINT').at(-1)?.args ?? '')).toEqual(['/app/docker/entrypoint.sh']);
    expect(execForm(ops(runtime, 'CMD').at(-1)?.args ?? '')).toEqual(['api']);
    expect(ops(runtime, 'WORKDIR').at(-1)?.args).toBe('/app');
    expect(
      ops(runtime, 'EXPOSE')
        .map((e) => e.args)
        .join(' '),
    ).toMatch(/3000.*3001.*4000/);
  });

  it("answers every command the ECS task definitions run, and the entrypoint's own", async () => {
    const script = readFileSync(entrypointPath, 'utf8');
    accessSync(entrypointPath, constants.X_OK);
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    const cases = [...script.matchAll(/^ {2}([\w|-]+)\)$/gm)].flatMap((m) => (m[1] ?? '').split('|'));
    for (const command of [...SERVICES, 'healthcheck']) expect(cases).toContain(command);
    // The task definitions (Terraform's, and the template CI renders from its output) run the
    // commands of `service_commands`.
    const terraform = await parseTerraform(readTerraformDir(path.join(root, 'infra/terraform')));
    const variable = terraform.variables.get('service_commands') as { default?: Record<string, string[]> };
    const commands = Object.values(variable.default ?? {}).map((command) => command[0]);
    expect(commands.sort()).toEqual([...SERVICES].sort());
    const syntax = spawnSync('sh', ['-n', entrypointPath], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
  });

  it('keeps local builds, dependencies and data out of the build context', () => {
    const ignore = readFileSync(path.join(root, '.dockerignore'), 'utf8');
    const rules = dockerignoreRules(ignore);
    for (const excluded of [
      'node_modules/x',
      'apps/web-client/node_modules/next',
      'apps/web-client/.next/BUILD_ID',
      'apps/admin/.next-test/BUILD_ID',
      '.data/pglite/x',
      '.git/HEAD',
      'scripts/image-smoke.sh',
    ]) {
      expect(ignored(rules, excluded), excluded).toBe(true);
    }
    for (const kept of [
      'pnpm-lock.yaml',
      'apps/api/src/main.ts',
      'apps/cli/src/main.ts',
      'packages/db/migrations/meta/_journal.json',
    ]) {
      expect(ignored(rules, kept), kept).toBe(false);
    }
  });
});

describe('docker-compose.yml', () => {
  interface ComposeService {
    image?: string;
    build?: { context: string; dockerfile: string };
    command?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    ports?: string[];
  }
  const compose = parseYaml(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;

  it('runs Postgres 16, Redis 7 and an S3-compatible store with a one-shot bucket creation', () => {
    expect(services.postgres?.image).toBe('postgres:16');
    expect(services.redis?.image).toBe('redis:7');
    expect(services.s3?.command?.join(' ')).toContain('-s3');
    expect(services['s3-init']?.command?.join(' ')).toContain('s3.bucket.create -name e3d-assets');
    for (const name of ['postgres', 'redis', 's3']) expect(services[name]?.healthcheck, name).toBeDefined();
  });

  it('runs every service from the one image, migrate first', () => {
    const images = new Set(SERVICES.map((name) => services[name]?.image));
    expect(images.size).toBe(1);
    for (const name of SERVICES) {
      expect(services[name]?.build, name).toEqual({ context: '.', dockerfile: 'docker/Dockerfile' });
      expect(services[name]?.command, name).toEqual([name]);
      if (name !== 'migrate') expect(services[name]?.healthcheck, name).toBeDefined();
    }
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
    expect(services.migrate?.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    expect(services.api?.ports).toContain('4000:4000');
    expect(services['web-client']?.ports).toContain('3000:3000');
    expect(services.admin?.ports).toContain('3001:3001');
  });

  it('gives the backend its production settings, the same secrets in every service', () => {
    const env = (name: string) => services[name]?.environment ?? {};
    const api = env('api');
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'S3_BUCKET', 'S3_ENDPOINT', 'AWS_REGION', 'JWT_SECRET']) {
      expect(api[key], key).toBeTruthy();
    }
    expect(api.NODE_ENV).toBe('production');
    expect(env('worker').JWT_SECRET).toBe(api.JWT_SECRET);
    expect(env('web-client').REVALIDATE_SECRET).toBe(api.REVALIDATE_SECRET);
    expect(env('web-client').E3D_API_URL).toBe('http://api:4000');
    expect(env('admin').E3D_API_URL).toBe('http://api:4000');
  });
});

// ---------------------------------------------------------------------------------------------
// scripts/image-smoke.sh: builds the real image from a local base and runs it under Docker. It
// needs an engine (a full build takes long), so the suite checks its shell and its refusal to run
// without one; docs/deployment.md says how to run it.
// ---------------------------------------------------------------------------------------------

describe('scripts/image-smoke.sh', () => {
  const smokePath = path.join(root, 'scripts/image-smoke.sh');
  const smoke = existsSync(smokePath) ? readFileSync(smokePath, 'utf8') : '';
  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'e3d-smoke-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** The script with a stand-in `docker` that answers only what the test needs. */
  function runWithDocker(script: string) {
    const docker = path.join(scratch, `docker-${randomUUID()}`);
    writeFileSync(docker, `#!/bin/sh\n${script}\n`);
    chmodSync(docker, 0o755);
    return spawnSync('bash', [smokePath], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: cleanEnv({ DOCKER: docker, E3D_SMOKE_CACHE: path.join(scratch, 'cache') }),
    });
  }

  it('is an executable bash script that parses', () => {
    accessSync(smokePath, constants.X_OK);
    expect(smoke.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(smoke).toContain('set -euo pipefail');
    const syntax = spawnSync('bash', ['-n', smokePath], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
  });

  it.skipIf(!shellcheck)('has no shellcheck findings', () => {
    const check = spawnSync('shellcheck', [smokePath], { encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);
  });

  it('builds from a local Debian base with BASE_IMAGE and checks every service it runs', () => {
    expect(smoke).toMatch(/debootstrap --variant=minbase bookworm/);
    expect(smoke).toMatch(/\$DOCKER" import/);
    expect(smoke).toContain('--build-arg "BASE_IMAGE=$base"');
    expect(smoke).toContain('-f docker/Dockerfile');
    for (const command of ['migrate', 'api', 'worker', 'web-client', 'admin']) {
      expect(smoke).toMatch(new RegExp(`(start ${command} ${command}|"\\$IMAGE" ${command})`));
    }
    for (const probe of ['/api/healthz', '/api/readyz', '/healthz', 'entrypoint.sh healthcheck']) {
      expect(smoke).toContain(probe);
    }
    expect(smoke).toMatch(/trap cleanup EXIT/);
    expect(readFileSync(path.join(root, 'docs/deployment.md'), 'utf8')).toContain('scripts/image-smoke.sh');
  });

  it('fails loudly, exit 2, when no Docker engine answers', () => {
    // The real CLI when this machine has one, pointed at a socket nothing listens on.
    const real = spawnSync('bash', [smokePath], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: cleanEnv({ DOCKER_HOST: `unix://${path.join(scratch, 'no-engine.sock')}` }),
    });
    expect(real.status, real.stdout + real.stderr).toBe(2);
    expect(real.stderr).toMatch(
      /FAIL {2}image smoke test cannot run: (no Docker engine answers|no docker CLI on PATH)/,
    );

    const stub = runWithDocker(
      'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1',
    );
    expect(stub.status, stub.stdout + stub.stderr).toBe(2);
    expect(stub.stderr).toContain('FAIL  image smoke test cannot run: no Docker engine answers');
    expect(stub.stderr).toContain('Cannot connect to the Docker daemon');
  });

  it('fails, exit 2, when the engine answers but no CLI can build with BuildKit', () => {
    const result = runWithDocker(
      ['case "$*" in', '  "buildx version") exit 1 ;;', '  *) echo 28.2.2 ;;', 'esac'].join('\n'),
    );
    expect(result.status, result.stdout + result.stderr).toBe(2);
    expect(result.stderr).toContain('no docker CLI here can build with BuildKit');
    expect(result.stderr).toContain('buildx');
  });
});

// ---------------------------------------------------------------------------------------------
// .dockerignore: Docker's rules (patterns from the context root, `**` any depth, `!` re-includes,
// the last matching rule wins, a matching folder excludes its contents)
// ---------------------------------------------------------------------------------------------

type Rule = { negate: boolean; regex: RegExp };

function dockerignoreRules(text: string): Rule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      let source = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charAt(i);
        if (pattern.startsWith('**/', i)) {
          source += '(?:.*/)?';
          i += 2;
        } else if (pattern.startsWith('**', i)) {
          source += '.*';
          i += 1;
        } else if (c === '*') source += '[^/]*';
        else if (c === '?') source += '[^/]';
        else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, regex: new RegExp(`^${source}$`) };
    });
}

function ignored(rules: Rule[], file: string): boolean {
  const parts = file.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let result = false;
  for (const rule of rules) {
    if (prefixes.some((p) => rule.regex.test(p))) result = !rule.negate;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// 2. Replay of the build, 3. the services
// ---------------------------------------------------------------------------------------------

interface StageState {
  dir: string;
  workdir: string;
  vars: Record<string, string>;
}

/** Environment of a RUN or a service: nothing of this test process (NODE_ENV=test, VITEST…). */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? os.homedir(),
    ...extra,
  };
}

/** Files the build context holds: the working tree (tracked and untracked, not git-ignored)
 * minus .dockerignore. */
function contextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((f) => f !== '');
  const rules = dockerignoreRules(readFileSync(path.join(root, '.dockerignore'), 'utf8'));
  return listed.filter((f) => !ignored(rules, f) && existsSync(path.join(root, f)));
}

function state_(states: Map<string, StageState>, name: string): StageState {
  const found = states.get(name);
  if (!found) throw new Error(`no stage ${name} replayed`);
  return found;
}

function copyInto(from: string, to: string) {
  if (statSync(from).isDirectory()) {
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  } else {
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to);
  }
}

/** Replays the build stages and assembles the runtime stage's /app; returns the app folder. */
function replayBuild(workDir: string, log: (line: string) => void): string {
  const context = contextFiles();
  const states = new Map<string, StageState>();
  const pinnedPnpm = dockerfile.globalArgs.get('PNPM_VERSION');
  const runtime = lastStage();

  for (const s of dockerfile.stages) {
    const parent = states.get(s.from);
    const dir = path.join(workDir, 'stages', s.name);
    // The stage starts from its parent's filesystem: hard links (node_modules is ~1 GB).
    if (parent) execFileSync('cp', ['-al', parent.dir, dir]);
    else mkdirSync(dir, { recursive: true });
    const state: StageState = {
      dir,
      workdir: parent?.workdir ?? '/',
      vars: { ...(parent?.vars ?? {}) },
    };
    states.set(s.name, state);
    /** A path in this stage's filesystem (relative to WORKDIR, or absolute under it). */
    const local = (st: StageState, p: string) => {
      const absolute = path.posix.resolve(st.workdir, p);
      const relative = path.posix.relative(st.workdir, absolute);
      if (relative.startsWith('..')) throw new Error(`${p} is outside WORKDIR ${st.workdir}`);
      return path.join(st.dir, relative);
    };

    for (const instruction of s.instructions) {
      const { op } = instruction;
      if (op === 'ARG') {
        const [name, value] = splitArg(instruction.args);
        const resolved = value ?? dockerfile.globalArgs.get(name);
        if (resolved !== undefined) state.vars[name] = substitute(resolved, state.vars);
      } else if (op === 'ENV') {
        for (const [key, value] of envPairs(instruction.args)) {
          // Only place the pnpm store in the BuildKit cache mount; here it is this machine's.
          if (key === 'PNPM_HOME' || key === 'PATH') continue;
          state.vars[key] = substitute(value, state.vars);
        }
      } else if (op === 'WORKDIR') {
        state.workdir = path.posix.resolve(state.workdir, instruction.args);
      } else if (op === 'COPY') {
        const { flags, rest } = splitFlags(instruction.args);
        const parts = rest.split(/\s+/);
        const dest = parts.pop() ?? '.';
        const from = flags.get('from');
        for (const source of parts) {
          if (from) {
            const other = states.get(from);
            if (!other) throw new Error(`COPY --from=${from}: no such stage before ${s.name}`);
            const target = dest.endsWith('/') ? path.posix.join(dest, path.posix.basename(source)) : dest;
            copyInto(local(other, source), local(state, target));
          } else if (source === '.') {
            for (const file of context) copyInto(path.join(root, file), path.join(local(state, dest), file));
          } else {
            const target = dest.endsWith('/') ? path.posix.join(dest, source) : dest;
            if (statSync(path.join(root, source)).isDirectory()) {
              for (const file of context.filter((f) => f.startsWith(`${source}/`))) {
                copyInto(
                  path.join(root, file),
                  local(state, path.posix.join(dest, path.posix.relative(source, file))),
                );
              }
            } else {
              copyInto(path.join(root, source), local(state, target));
            }
          }
        }
      } else if (op === 'RUN') {
        if (s === runtime) continue; // ownership of /app/.data for the `node` user
        const { rest } = splitFlags(instruction.args);
        if (/^npm install --global .*pnpm@/.test(rest)) {
          const local = execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
          if (local !== state.vars.PNPM_VERSION || local !== pinnedPnpm) {
            throw new Error(`pnpm ${local} here, the image installs ${pinnedPnpm}`);
          }
          continue;
        }
        log(`[${s.name}] RUN ${rest}`);
        const cwd = local(state, '.');
        mkdirSync(cwd, { recursive: true });
        const result = spawnSync('sh', ['-ec', rest], {
          cwd,
          env: cleanEnv(state.vars),
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
        });
        if (result.status !== 0) {
          throw new Error(
            `Dockerfile line ${instruction.line} (${s.name}): \`${rest}\` exited ${result.status}\n${result.stdout}\n${result.stderr}`,
          );
        }
      }
    }
  }
  return state_(states, runtime.name).dir;
}

async function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

interface Service {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  tmp: string;
}

describe('the image, replayed on this machine', () => {
  let workDir = '';
  let app = '';
  const running: Service[] = [];
  const buildLog: string[] = [];
  let database: { url: string; drop(): Promise<void> } | undefined;
  let redisUrl: string | undefined;
  let apiPort = 0;

  const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'e3d-image-'));
    app = replayBuild(workDir, (line) => buildLog.push(line));

    const pgTarget = new URL(postgresUrl);
    if (await answers(pgTarget.hostname, Number(pgTarget.port || 5432))) {
      const name = `e3d_image_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(postgresUrl);
      url.pathname = `/${name}`;
      database = {
        url: url.toString(),
        async drop() {
          const client = new pg.Client({ connectionString: postgresUrl });
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          await client.end();
        },
      };
    } else if (process.env.CI) {
      throw new Error(`CI needs Postgres at ${postgresUrl}`);
    }
    const redis = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    if (database && (await answers(redis.hostname, Number(redis.port || 6379)))) {
      redisUrl = redis.toString();
    }
    apiPort = await freePort();
  }, 30 * 60_000);

  afterAll(async () => {
    for (const service of running) {
      if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
    }
    await Promise.all(running.map((s) => s.exited));
    await database?.drop().catch(() => undefined);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  /** Settings of the backend services (the ECS task's environment, on this machine). */
  const backendEnv = (dataDir: string): Record<string, string> => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    DATA_DIR: dataDir,
    JWT_SECRET: 'image-test-jwt-secret-0123456789abcdef',
    REVALIDATE_SECRET: 'image-test-revalidate-secret-0123456789',
    PAYMENT_WEBHOOK_SECRET: 'image-test-webhook-secret-0123456789abc',
    SHUTDOWN_GRACE_MS: '5000',
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  });

  /** `docker run <image> <command>`: the entrypoint script with the service's environment; its
   * own TMPDIR, so the HEALTHCHECK's state file is this container's. */
  function start(command: string, env: Record<string, string>): Service {
    const tmp = mkdtempSync(path.join(workDir, `${command}-`));
    const child = spawn(path.join(app, 'docker/entrypoint.sh'), [command], {
      cwd: os.tmpdir(),
      env: cleanEnv({ TMPDIR: tmp, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const service = { name: command, child, output: () => out, exited, tmp };
    running.push(service);
    return service;
  }

  /** The image's HEALTHCHECK (`entrypoint.sh healthcheck`) inside that "container". */
  function healthcheck(service: Service, extra: Record<string, string> = {}) {
    return spawnSync(path.join(app, 'docker/entrypoint.sh'), ['healthcheck'], {
      env: cleanEnv({ TMPDIR: service.tmp, ...extra }),
      encoding: 'utf8',
      timeout: 15_000,
    });
  }

  async function waitFor(service: Service, url: string, timeoutMs = 90_000): Promise<Response> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (service.child.exitCode !== null) {
        throw new Error(`${service.name} exited ${service.child.exitCode}:\n${service.output()}`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
        if (res.status === 200) return res;
        last = `status ${res.status}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${url} did not answer 200 (${last}):\n${service.output()}`);
  }

  async function stop(service: Service): Promise<number | null> {
    service.child.kill('SIGTERM');
    const code = await Promise.race([
      service.exited,
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000)),
    ]);
    if (code === 'timeout') {
      service.child.kill('SIGKILL');
      throw new Error(`${service.name} did not stop on SIGTERM:\n${service.output()}`);
    }
    return code;
  }

  it('assembles /app as the runtime stage copies it: production dependencies only', () => {
    expect(buildLog).toContain('[build] RUN pnpm --filter @e3d/web-client build');
    expect(buildLog).toContain('[build] RUN pnpm --filter @e3d/admin build');
    for (const name of ['web-client', 'admin']) {
      const dir = path.join(app, 'web', name, 'apps', name);
      expect(existsSync(path.join(dir, 'server.js')), `${name} server.js`).toBe(true);
      expect(readdirSync(path.join(dir, '.next/static')).length).toBeGreaterThan(0);
      expect(existsSync(path.join(dir, 'public/draco'))).toBe(true);
    }
    // No devDependencies: not the test runner, not the Next toolchain, not the type checker.
    const installed = readdirSync(path.join(app, 'node_modules/.pnpm'));
    for (const dev of ['vitest@', 'typescript@', 'next@', '@biomejs+biome@', 'lighthouse@', 'drizzle-kit@']) {
      expect(
        installed.filter((d) => d.startsWith(dev)),
        dev,
      ).toEqual([]);
    }
    // tsx runs the TypeScript at run time: a production dependency of the CLI.
    expect(existsSync(path.join(app, 'apps/cli/node_modules/tsx/package.json'))).toBe(true);
    accessSync(path.join(app, 'docker/entrypoint.sh'), constants.X_OK);
  });

  it('migrate: applies the migrations and exits 0; a second run finds nothing to do', async () => {
    const dataDir = path.join(workDir, 'data-api');
    for (const expected of [/applied \d+ migration|up to date/, /up to date/]) {
      const migrate = start('migrate', backendEnv(dataDir));
      const code = await migrate.exited;
      expect(code, migrate.output()).toBe(0);
      expect(migrate.output()).toMatch(expected);
    }
  }, 180_000);

  it('api: answers /api/healthz and passes the HEALTHCHECK; stops cleanly on SIGTERM', async () => {
    const api = start('api', backendEnv(path.join(workDir, 'data-api')));
    const res = await waitFor(api, `http://127.0.0.1:${apiPort}/api/healthz`);
    expect(res.status).toBe(200);
    const check = healthcheck(api, { API_PORT: String(apiPort) });
    expect(check.status, check.stderr + api.output()).toBe(0);
    // The next tests run the Next apps against it; it is stopped (SIGTERM) at the end.
  }, 180_000);

  it('worker: starts, stays up and passes the HEALTHCHECK; exits 0 on SIGTERM', async () => {
    const dataDir = path.join(workDir, database ? 'data-worker' : 'data-worker-embedded');
    if (!database) {
      // Embedded PGlite: the worker's own data folder, migrated first (one process per folder).
      const migrate = start('migrate', backendEnv(dataDir));
      expect(await migrate.exited, migrate.output()).toBe(0);
    }
    const worker = start('worker', backendEnv(dataDir));
    const deadline = Date.now() + 90_000;
    while (!worker.output().includes('worker started')) {
      if (worker.child.exitCode !== null) throw new Error(`worker exited:\n${worker.output()}`);
      if (Date.now() > deadline) throw new Error(`worker did not start:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3000));
    expect(worker.child.exitCode, worker.output()).toBeNull();
    const check = healthcheck(worker);
    expect(check.status, check.stderr + worker.output()).toBe(0);
    expect(await stop(worker), worker.output()).toBe(0);
    expect(healthcheck(worker).status).not.toBe(0);
  }, 180_000);

  for (const name of ['web-client', 'admin'] as const) {
    it(`${name}: the standalone server answers /healthz, serves .next/static and public/, passes the HEALTHCHECK`, async () => {
      const port = await freePort();
      const service = start(name, {
        NODE_ENV: 'production',
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        E3D_API_URL: `http://127.0.0.1:${apiPort}`,
        STOREFRONT_URL: 'http://127.0.0.1:3000',
        ADMIN_URL: 'http://127.0.0.1:3001',
        REVALIDATE_SECRET: 'image-test-revalidate-secret-0123456789',
        DATA_DIR: path.join(workDir, `data-${name}`),
      });
      const base = `http://127.0.0.1:${port}`;
      const res = await waitFor(service, `${base}/healthz`);
      expect(await res.json()).toEqual({ status: 'ok' });
      const appDir = path.join(app, 'web', name, 'apps', name);
      const chunk = readdirSync(path.join(appDir, '.next/static/chunks')).find((f) => f.endsWith('.js'));
      expect((await fetch(`${base}/_next/static/chunks/${chunk}`)).status).toBe(200);
      expect((await fetch(`${base}/draco/draco_decoder.wasm`)).status).toBe(200);
      const check = healthcheck(service);
      expect(check.status, check.stderr + service.output()).toBe(0);
      await stop(service);
    }, 180_000);
  }

  it('api: exits 0 on SIGTERM', async () => {
    const api = running.find((s) => s.name === 'api');
    if (!api) throw new Error('the api test did not start the API');
    expect(await stop(api), api.output()).toBe(0);
  }, 60_000);
});
