/**
 * The production check's traffic mix (load/mix.json, the same file load/k6.js reads) replayed on
 * this machine, against the quick-start stack and against real Postgres + Redis.
 *
 *   pnpm load:mix [--backend embedded|postgres|both] [--duration 20] [--connections 64]
 *                 [--warmup 3] [--rate N]
 *
 * - embedded: the quick start's settings (no DATABASE_URL, no REDIS_URL): PGlite under a
 *   scratch DATA_DIR, in-process cache.
 * - postgres: a scratch database on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
 *
 * Each backend is migrated and seeded with the demo catalog (stock raised so checkouts never run
 * out), then the API runs in a child process (its own event loop, apart from this load
 * generator). By default the driver is closed-loop: --connections shoppers, each starting its
 * next scenario as soon as the last one finished, so the sustained rate is what the stack can
 * do. With --rate N it is open-loop instead: scenarios start at N requests per second whatever
 * the answers' speed, at most --connections at once; starts that find no free connection are
 * counted as dropped (k6's dropped_iterations).
 *
 * Printed per backend and scenario: sustained req/s, p50/p95/p99, errors (no answer) and
 * unexpected statuses; then the mix against a baseline measured in the same minute (autocannon
 * on GET /api/healthz, same connections), because this 2-core machine is shared and noisy.
 * Judged against the issue's goal (>= 1,000 req/s, no errors) and k6's thresholds
 * (p95 < 500 ms, < 1 % failed); it reports, it does not fail on them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoCatalog } from '@e3d/catalog';
import { type Database, migrate, openDatabase, rows, sql } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import { freePorts } from '@e3d/testing/ports';
import { startApi } from './lib/api.ts';
import { cleanUpOnSignals, type Defer, withCleanup } from './lib/cleanup.ts';
import { createScratchDatabase, POSTGRES_URL, queryOnce, REDIS_URL } from './lib/databases.ts';
import { measure } from './lib/measure.ts';
import { formatInt, formatMs, formatRatio, heading, printTable, verdict } from './lib/report.ts';

// ---------------------------------------------------------------- the mix (load/mix.json)

interface MixStep {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  captureCart?: boolean;
  useCart?: boolean;
  expect: number;
}
interface MixScenario {
  name: string;
  weight: number;
  steps: MixStep[];
}
interface Mix {
  target: { localGoalRequestsPerSecond: number };
  thresholds: { maxFailedRate: number; p95Ms: number };
  discovery: { productListPath: string; maxProducts: number; shippingOptionsPath: string };
  checkout: { card: string; email: string; shippingAddress: Record<string, string> };
  scenarios: MixScenario[];
}

const MIX = JSON.parse(await readFile(new URL('./mix.json', import.meta.url), 'utf8')) as Mix;

/** What setup found on the running API, as load/k6.js's setup() finds it in production. */
interface Discovered {
  handles: string[];
  variantIds: string[];
  shippingMethodId: string;
}

/** Replaces "{name}" strings in a template (a whole-string placeholder may become an object). */
function fill(template: unknown, vars: Record<string, unknown>): unknown {
  if (typeof template === 'string') {
    const whole = /^\{(\w+)\}$/.exec(template);
    if (whole?.[1] && whole[1] in vars) return vars[whole[1]];
    return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }
  if (Array.isArray(template)) return template.map((item) => fill(item, vars));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fill(v, vars)]));
  }
  return template;
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;

// ---------------------------------------------------------------- HTTP

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function call(
  agent: http.Agent,
  base: string,
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(pathname, base),
      {
        method,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error('timeout after 30 s')));
    request.on('error', reject);
    request.end(payload);
  });
}

async function getJson<T>(agent: http.Agent, base: string, pathname: string): Promise<T> {
  const answer = await call(agent, base, 'GET', pathname);
  if (answer.status !== 200) {
    throw new Error(`GET ${pathname} answered ${answer.status}: ${answer.body.toString().slice(0, 300)}`);
  }
  return JSON.parse(answer.body.toString()) as T;
}

/** The same discovery as k6.js's setup(): listed products, their available variants, shipping. */
async function discover(agent: http.Agent, base: string): Promise<Discovered> {
  const list = await getJson<{ items: { handle: string }[] }>(agent, base, MIX.discovery.productListPath);
  const handles = list.items.slice(0, MIX.discovery.maxProducts).map((p) => p.handle);
  const variantIds: string[] = [];
  for (const handle of handles) {
    const detail = await getJson<{ variants: { id: string; available: boolean }[] }>(
      agent,
      base,
      `/api/products/${handle}`,
    );
    for (const variant of detail.variants) if (variant.available) variantIds.push(variant.id);
  }
  const shipping = await getJson<{ items: { id: string }[] }>(agent, base, MIX.discovery.shippingOptionsPath);
  const shippingMethodId = shipping.items[0]?.id;
  if (handles.length === 0 || variantIds.length === 0 || !shippingMethodId) {
    throw new Error(
      `nothing to load: ${handles.length} products, ${variantIds.length} variants, shipping ${shippingMethodId}`,
    );
  }
  return { handles, variantIds, shippingMethodId };
}

// ---------------------------------------------------------------- the driver

interface Tally {
  requests: number;
  /** No answer at all: refused, reset, timed out. */
  errors: number;
  /** An answer, but not the status the step expects (k6: a failed check). */
  unexpected: number;
  latencies: number[];
  firstProblem?: string;
}

const newTally = (): Tally => ({ requests: 0, errors: 0, unexpected: 0, latencies: [] });

interface RunResult {
  seconds: number;
  perScenario: Map<string, Tally>;
  iterations: number;
  dropped: number;
}

/** One iteration of a scenario: its steps in order, the cart id carried from step to step. */
async function runScenario(
  agent: http.Agent,
  base: string,
  scenario: MixScenario,
  found: Discovered,
  tally: Tally,
  counting: () => boolean,
): Promise<void> {
  const vars: Record<string, unknown> = {
    handle: pick(found.handles),
    variantId: pick(found.variantIds),
    shippingMethodId: found.shippingMethodId,
    card: MIX.checkout.card,
    email: MIX.checkout.email,
    shippingAddress: MIX.checkout.shippingAddress,
    uuid: randomUUID(),
  };
  let cartId: string | undefined;
  for (const step of scenario.steps) {
    const headers = { ...(fill(step.headers ?? {}, vars) as Record<string, string>) };
    if (step.useCart && cartId) headers['x-cart-id'] = cartId;
    const t0 = performance.now();
    let answer: Answer;
    try {
      answer = await call(
        agent,
        base,
        step.method,
        fill(step.path, vars) as string,
        step.body === undefined ? undefined : fill(step.body, vars),
        headers,
      );
    } catch (error) {
      if (counting()) {
        tally.requests++;
        tally.errors++;
        tally.firstProblem ??= `${step.name}: ${(error as Error).message}`;
      }
      return;
    }
    const ms = performance.now() - t0;
    if (counting()) {
      tally.requests++;
      tally.latencies.push(ms);
      if (answer.status !== step.expect) {
        tally.unexpected++;
        tally.firstProblem ??= `${step.name}: ${answer.status} ${answer.body.toString().slice(0, 200)}`;
      }
    }
    if (answer.status !== step.expect) return;
    if (step.captureCart) {
      const id = answer.headers['x-cart-id'];
      if (typeof id !== 'string') return;
      cartId = id;
    }
  }
}

/**
 * Picks scenarios in the mix's proportions of requests: a scenario of n steps is started
 * weight/n as often, so its requests add up to its weight.
 */
function scenarioPicker(): () => MixScenario {
  const perIteration = MIX.scenarios.map((s) => s.weight / s.steps.length);
  const total = perIteration.reduce((a, b) => a + b, 0);
  return () => {
    let r = Math.random() * total;
    for (const [i, scenario] of MIX.scenarios.entries()) {
      r -= perIteration[i] ?? 0;
      if (r <= 0) return scenario;
    }
    return MIX.scenarios.at(-1) as MixScenario;
  };
}

const requestsPerIteration =
  MIX.scenarios.reduce((sum, s) => sum + s.weight, 0) /
  MIX.scenarios.reduce((sum, s) => sum + s.weight / s.steps.length, 0);

async function drive(
  base: string,
  found: Discovered,
  options: { connections: number; seconds: number; rate?: number },
): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const perScenario = new Map(MIX.scenarios.map((s) => [s.name, newTally()]));
  const nextScenario = scenarioPicker();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const counting = () => performance.now() < deadline;
  let iterations = 0;
  let dropped = 0;
  const one = async () => {
    const scenario = nextScenario();
    iterations++;
    await runScenario(agent, base, scenario, found, perScenario.get(scenario.name) as Tally, counting);
  };

  if (options.rate === undefined) {
    // Closed loop: each connection starts its next scenario when the last one is done.
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) await one();
      }),
    );
  } else {
    // Open loop: scenarios start on a schedule; a start with every connection busy is dropped.
    const iterationsPerSecond = options.rate / requestsPerIteration;
    let inFlight = 0;
    let scheduled = 0;
    const pending = new Set<Promise<void>>();
    while (performance.now() < deadline) {
      const due = Math.floor(((performance.now() - started) / 1000) * iterationsPerSecond);
      for (; scheduled < due; scheduled++) {
        if (inFlight >= options.connections) {
          dropped++;
          continue;
        }
        inFlight++;
        const p: Promise<void> = one().finally(() => {
          inFlight--;
          pending.delete(p);
        });
        pending.add(p);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(pending);
  }
  agent.destroy();
  return { seconds: options.seconds, perScenario, iterations, dropped };
}

// ---------------------------------------------------------------- reporting

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

interface Summary {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  unexpected: number;
  firstProblem?: string;
}

function summarize(name: string, tallies: Tally[], seconds: number): Summary {
  const latencies = tallies.flatMap((t) => t.latencies).sort((a, b) => a - b);
  const requests = tallies.reduce((n, t) => n + t.requests, 0);
  return {
    name,
    requests,
    rps: requests / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: tallies.reduce((n, t) => n + t.errors, 0),
    unexpected: tallies.reduce((n, t) => n + t.unexpected, 0),
    firstProblem: tallies.find((t) => t.firstProblem)?.firstProblem,
  };
}

interface BackendResult {
  backend: string;
  all: Summary;
  scenarios: Summary[];
  baselineRps: number;
  baselineP99: number;
  dropped: number;
}

function report(backend: string, run: RunResult, baseline: { rps: number; p99: number }): BackendResult {
  const rows = MIX.scenarios.map((s) =>
    summarize(s.name, [run.perScenario.get(s.name) as Tally], run.seconds),
  );
  const all = summarize('mix (all)', [...run.perScenario.values()], run.seconds);
  console.log();
  printTable(
    ['scenario', 'weight', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'non-2xx/unexpected'],
    [...rows, all].map((r) => [
      r.name,
      r === all ? '100' : String(MIX.scenarios.find((s) => s.name === r.name)?.weight ?? ''),
      formatInt(r.requests),
      formatInt(r.rps),
      formatMs(r.p50),
      formatMs(r.p95),
      formatMs(r.p99),
      String(r.errors),
      String(r.unexpected),
    ]),
  );
  console.log(
    `\n  baseline GET /api/healthz (autocannon, same connections): ${formatInt(baseline.rps)} req/s, ` +
      `p99 ${formatMs(baseline.p99)} ms; mix / baseline = ${formatRatio(all.rps / baseline.rps)}`,
  );
  if (run.dropped > 0) console.log(`  dropped starts (no free connection): ${formatInt(run.dropped)}`);
  for (const r of rows) if (r.firstProblem) console.log(`  first problem in ${r.name}: ${r.firstProblem}`);
  return {
    backend,
    all,
    scenarios: rows,
    baselineRps: baseline.rps,
    baselineP99: baseline.p99,
    dropped: run.dropped,
  };
}

// ---------------------------------------------------------------- backends

/** Migrated, the demo catalog in it (rows only; media stay pending), every variant in stock. */
async function prepareDatabase(db: Database, dataDir: string): Promise<void> {
  await migrate(db);
  await seedDemoCatalog(
    db,
    createLocalStore({ root: path.join(dataDir, 'storage'), publicBaseUrl: 'http://127.0.0.1' }),
  );
  await rows(db, sql`UPDATE product_variants SET stock_on_hand = 100000000`);
}

async function startBackend(
  backend: 'embedded' | 'postgres',
  defer: Defer,
): Promise<{ url: string; describe: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `e3d-load-${backend}-`));
  defer(() => rm(dataDir, { recursive: true, force: true }));
  const [port = 0] = await freePorts(1);
  const started = performance.now();
  if (backend === 'embedded') {
    // The quick start's database: PGlite in DATA_DIR/pglite, which the API opens itself after us.
    const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
    try {
      await prepareDatabase(db, dataDir);
    } finally {
      await db.close();
    }
    console.log(`  PGlite in ${dataDir}, seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const api = await startApi('api (embedded)', { databaseUrl: '', dataDir, port }, defer);
    return { url: api.url, describe: 'embedded PGlite, in-process cache' };
  }
  const database = await createScratchDatabase();
  defer(() => database.drop());
  const db = await openDatabase({ databaseUrl: database.url, poolMax: 4 });
  try {
    await prepareDatabase(db, dataDir);
  } finally {
    await db.close();
  }
  console.log(
    `  database ${database.name}, seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const api = await startApi(
    'api (postgres)',
    { databaseUrl: database.url, dataDir, port, settings: { REDIS_URL } },
    defer,
  );
  // Redis keys are shared between runs: make the API drop what a previous database left there.
  await queryOnce(database.url, "NOTIFY e3d_catalog, 'load-mix'");
  return { url: api.url, describe: `Postgres ${POSTGRES_URL}, Redis ${REDIS_URL}` };
}

interface Plan {
  connections: number;
  seconds: number;
  warmup: number;
  rate?: number;
}

function runBackend(backend: 'embedded' | 'postgres', plan: Plan): Promise<BackendResult> {
  return withCleanup(async (defer) => {
    heading(
      `${backend}: ${plan.rate ? `open loop at ${plan.rate} req/s, up to` : 'closed loop,'} ` +
        `${plan.connections} connections, ${plan.seconds} s after ${plan.warmup} s warm-up`,
    );
    const { url, describe } = await startBackend(backend, defer);
    console.log(`  ${describe}; API at ${url}`);
    const agent = new http.Agent({ keepAlive: true });
    const found = await discover(agent, url);
    agent.destroy();
    console.log(
      `  discovered ${found.handles.length} products, ${found.variantIds.length} variants, shipping method`,
    );
    if (plan.warmup > 0) await drive(url, found, { ...plan, seconds: plan.warmup });
    process.stdout.write('  measuring the mix ...');
    const run = await drive(url, found, plan);
    console.log(` done (${formatInt(run.iterations)} scenarios)`);
    process.stdout.write('  measuring the baseline ...');
    const baseline = await measure('GET /api/healthz', {
      url: `${url}/api/healthz`,
      connections: plan.connections,
      durationSeconds: Math.min(plan.seconds, 5),
      warmupSeconds: 1,
    });
    console.log(` ${formatInt(baseline.requestsPerSecond)} req/s`);
    return report(backend, run, { rps: baseline.requestsPerSecond, p99: baseline.p99Ms });
  });
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '3' },
      rate: { type: 'string' },
    },
  });
  const backends =
    values.backend === 'both' ? (['embedded', 'postgres'] as const) : ([values.backend] as const);
  for (const b of backends) {
    if (b !== 'embedded' && b !== 'postgres') throw new Error(`--backend ${b}: embedded, postgres or both`);
  }
  const plan: Plan = {
    connections: Number(values.connections),
    seconds: Number(values.duration),
    warmup: Number(values.warmup),
    ...(values.rate ? { rate: Number(values.rate) } : {}),
  };
  if (!(plan.connections > 0 && plan.seconds > 0 && plan.warmup >= 0 && (plan.rate ?? 1) > 0)) {
    throw new Error('--connections, --duration and --rate must be positive numbers');
  }

  const cpus = os.cpus();
  console.log('Load mix (load/mix.json, the same mix as load/k6.js)');
  console.log(
    `  machine   ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, node ${process.version}`,
  );
  console.log(
    `  mix       ${MIX.scenarios.map((s) => `${s.name} ${s.weight}%`).join(', ')} of requests ` +
      `(${requestsPerIteration.toFixed(2)} requests per scenario on average)`,
  );
  console.log('  note      load generator, API, Postgres and Redis share these cores');

  const results: BackendResult[] = [];
  for (const backend of backends as readonly ('embedded' | 'postgres')[]) {
    results.push(await runBackend(backend as 'embedded' | 'postgres', plan));
  }

  const goal = MIX.target.localGoalRequestsPerSecond;
  heading('Summary');
  printTable(
    ['backend', 'mix req/s', 'p95 ms', 'p99 ms', 'failed', 'healthz req/s', 'mix/healthz', 'goal'],
    results.map((r) => {
      const failed = r.all.errors + r.all.unexpected;
      const ok = r.all.rps >= goal && failed === 0 && r.dropped === 0;
      return [
        r.backend,
        formatInt(r.all.rps),
        formatMs(r.all.p95),
        formatMs(r.all.p99),
        `${failed} (${((failed / Math.max(1, r.all.requests)) * 100).toFixed(2)} %)`,
        formatInt(r.baselineRps),
        formatRatio(r.all.rps / r.baselineRps),
        `${verdict(ok)} (>= ${formatInt(goal)} req/s, no errors)`,
      ];
    }),
  );
  // k6 holds these over all requests and within each scenario.
  const over = results.flatMap((r) =>
    [r.all, ...r.scenarios]
      .filter(
        (x) =>
          !(x.p95 < MIX.thresholds.p95Ms) ||
          (x.errors + x.unexpected) / Math.max(1, x.requests) >= MIX.thresholds.maxFailedRate,
      )
      .map((x) => `${r.backend} ${x.name} p95 ${formatMs(x.p95)} ms`),
  );
  console.log(
    `\n  k6 thresholds (p95 < ${MIX.thresholds.p95Ms} ms, < ${MIX.thresholds.maxFailedRate * 100} % failed, ` +
      `overall and per scenario): ${verdict(over.length === 0)}${over.length ? ` (over: ${over.join('; ')})` : ''}`,
  );
  return results.every((r) => r.all.errors + r.all.unexpected === 0);
}

cleanUpOnSignals();
try {
  if (!(await main())) {
    console.error('\nload:mix: some requests failed (see the first problem per scenario above)');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`\nload:mix failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}
