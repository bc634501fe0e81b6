/**
 * API throughput and latency on real Postgres + Redis, against a bare Fastify route as the
 * ceiling. `pnpm bench:api [--quick] [--skip-large]`
 *
 * 1. Demo catalog: the seeded catalog behind three child processes (API with Redis cache, API
 *    with the cache off, bare Fastify serving the product-detail bytes), 64 connections.
 * 2. Large catalog: 10,000 products / ~100,000 variants, cache off: what the queries cost
 *    once the cache misses. Latency (the < 50 ms p99 goal) is measured at 4 connections, below
 *    saturation; then at 16, where the 2 shared cores (load generator included) are the limit.
 *
 * The servers run as child processes so the load generator (autocannon, in this process) does
 * not steal their event loop. Every database, folder and process is removed at the end.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedAndProcessDemoCatalog } from '@e3d/catalog';
import { type Database, migrate, openDatabase } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import { freePorts } from '@e3d/testing/ports';
import { expectCacheHit, probe, startApi, startFromFreshCache } from './lib/api.ts';
import { startService } from './lib/children.ts';
import { cleanUpOnSignals, type Defer, withCleanup } from './lib/cleanup.ts';
import { createScratchDatabase, POSTGRES_URL, queryOnce, REDIS_URL } from './lib/databases.ts';
import {
  BIG_PRODUCT_HANDLE,
  BIG_PRODUCT_VARIANTS,
  generateLargeCatalog,
  LARGE_CATEGORY_HANDLE,
  LARGE_SEARCH_WORD,
  NORMAL_PRODUCT_HANDLE,
} from './lib/large-catalog.ts';
import { type LoadResult, measure } from './lib/measure.ts';
import { formatInt, formatMs, formatRatio, heading, printTable, verdict } from './lib/report.ts';

const DETAIL_HANDLE = 'sci-fi-helmet-replica';

/** What the numbers are judged against; the bench reports, it does not fail on them. */
const GOALS = {
  /** Warm product detail should reach at least this share of the bare route's req/s. */
  warmDetailMinRatio: 0.5,
  warmDetailMaxP99Ms: 25,
  largeMaxP99Ms: 50,
};

interface Phase {
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

const PHASES: Record<'full' | 'quick', { demo: Phase; large: Phase }> = {
  full: {
    demo: { connections: 64, warmupSeconds: 2, durationSeconds: 8 },
    large: { connections: 16, warmupSeconds: 1, durationSeconds: 5 },
  },
  quick: {
    demo: { connections: 64, warmupSeconds: 1, durationSeconds: 2 },
    large: { connections: 16, warmupSeconds: 1, durationSeconds: 2 },
  },
};

interface Scenario {
  name: string;
  url: string;
}

interface Measured extends Scenario, LoadResult {
  bodyBytes: number;
}

async function printMachine(): Promise<void> {
  const cpus = os.cpus();
  const [server] = await queryOnce<{ server_version: string }>(POSTGRES_URL, 'SHOW server_version');
  console.log('API benchmark');
  console.log(`  machine   ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}`);
  console.log(`  memory    ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`);
  console.log(`  node      ${process.version}`);
  console.log(`  postgres  ${server?.server_version ?? 'unknown version'} at ${POSTGRES_URL}`);
  console.log(`  redis     ${REDIS_URL}`);
  console.log('  note      load generator, servers, Postgres and Redis share these cores');
}

/** Checks every scenario answers 200 (and how big), then loads each in turn. */
async function runScenarios(scenarios: Scenario[], phase: Phase): Promise<Measured[]> {
  const results: Measured[] = [];
  for (const scenario of scenarios) {
    const { body } = await probe(scenario.url);
    process.stdout.write(`  measuring ${scenario.name} ...`);
    const result = await measure(scenario.name, { url: scenario.url, ...phase });
    console.log(` ${formatInt(result.requestsPerSecond)} req/s`);
    results.push({ ...scenario, ...result, bodyBytes: body.length });
  }
  return results;
}

const formatKb = (bytes: number) => (bytes / 1024).toFixed(1);

/** A migrated database, filled by `fill`, with the pool closed again before any API starts. */
async function prepareDatabase<T>(url: string, fill: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ databaseUrl: url, poolMax: 4 });
  try {
    await migrate(db);
    return await fill(db);
  } finally {
    await db.close();
  }
}

async function scratchSpace(defer: Defer): Promise<{ databaseUrl: string; dataDir: string }> {
  const database = await createScratchDatabase();
  defer(() => database.drop());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'e3d-bench-'));
  defer(() => rm(dataDir, { recursive: true, force: true }));
  console.log(`  database  ${database.name}`);
  return { databaseUrl: database.url, dataDir };
}

async function seconds<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function benchDemoCatalog(phase: Phase): Promise<void> {
  return withCleanup(async (defer) => {
    heading(`Demo catalog: ${phase.connections} connections, ${phase.durationSeconds} s per scenario`);
    const { databaseUrl, dataDir } = await scratchSpace(defer);
    const [warmPort = 0, coldPort = 0, barePort = 0] = await freePorts(3);
    await seconds('migrated and seeded', () =>
      prepareDatabase(databaseUrl, (db) =>
        seedAndProcessDemoCatalog(
          db,
          createLocalStore({
            root: path.join(dataDir, 'storage'),
            publicBaseUrl: `http://localhost:${warmPort}`,
          }),
        ),
      ),
    );

    const api = { databaseUrl, dataDir };
    const warm = await startApi('api (cache on)', { ...api, port: warmPort, settings: { REDIS_URL } }, defer);
    const cold = await startApi(
      'api (cache off)',
      { ...api, port: coldPort, settings: { CACHE_ENABLED: 'false' } },
      defer,
    );
    await startFromFreshCache(databaseUrl, warm.url, DETAIL_HANDLE);

    // The bare route serves the very bytes the API's detail route answers with.
    const bodyFile = path.join(dataDir, 'bare-body.json');
    await writeFile(bodyFile, (await probe(`${warm.url}/api/products/${DETAIL_HANDLE}`)).body);
    const bare = await startService({
      name: 'bare',
      script: 'load/bare-server.ts',
      port: barePort,
      readyPath: '/bare',
      env: { BARE_BODY_FILE: bodyFile, PORT: String(barePort), HOST: '127.0.0.1' },
    });
    defer(() => bare.stop());

    const list = '/api/products?limit=24';
    const detail = `/api/products/${DETAIL_HANDLE}`;
    await expectCacheHit(`${warm.url}${list}`);
    await expectCacheHit(`${warm.url}${detail}`);
    const results = await runScenarios(
      [
        { name: 'bare route (same bytes)', url: `${bare.url}/bare` },
        { name: 'product list, warm', url: `${warm.url}${list}` },
        { name: 'product list, cold', url: `${cold.url}${list}` },
        { name: 'product detail, warm', url: `${warm.url}${detail}` },
        { name: 'product detail, cold', url: `${cold.url}${detail}` },
      ],
      phase,
    );
    printDemoResults(results, phase);
  });
}

function printDemoResults(results: Measured[], phase: Phase): void {
  const [bare, , , warmDetail] = results;
  if (!bare || !warmDetail) throw new Error('demo catalog: missing results');
  console.log();
  printTable(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'body KB'],
    results.map((r) => [
      r.name,
      formatInt(r.requestsPerSecond),
      formatMs(r.p50Ms),
      formatMs(r.p99Ms),
      formatRatio(r.requestsPerSecond / bare.requestsPerSecond),
      formatKb(r.bodyBytes),
    ]),
  );
  const ratio = warmDetail.requestsPerSecond / bare.requestsPerSecond;
  console.log('\nGoals');
  console.log(
    `  warm product detail >= ${GOALS.warmDetailMinRatio}x bare req/s: ${formatRatio(ratio)}  ${verdict(ratio >= GOALS.warmDetailMinRatio)}`,
  );
  console.log(
    `  warm product detail p99 < ${GOALS.warmDetailMaxP99Ms} ms at ${phase.connections} connections: ${formatMs(warmDetail.p99Ms)} ms  ${verdict(warmDetail.p99Ms < GOALS.warmDetailMaxP99Ms)}`,
  );
}

function benchLargeCatalog(phase: Phase): Promise<void> {
  return withCleanup(async (defer) => {
    heading(
      `Large catalog, cache off: ${LATENCY_CONNECTIONS} then ${phase.connections} connections, ${phase.durationSeconds} s per scenario`,
    );
    const { databaseUrl, dataDir } = await scratchSpace(defer);
    const [port = 0] = await freePorts(1);
    const counts = await seconds('generated', () =>
      prepareDatabase(databaseUrl, (db) => generateLargeCatalog(db, console.log)),
    );
    console.log(
      `  ${formatInt(counts.products)} products, ${formatInt(counts.variants)} variants ` +
        `(${formatInt(counts.variantOptionValues)} option links), ${counts.categories} categories, ` +
        `${formatInt(counts.images)} images`,
    );

    const api = await startApi(
      'api (large, cache off)',
      { databaseUrl, dataDir, port, settings: { CACHE_ENABLED: 'false' } },
      defer,
    );
    await expectBigProduct(`${api.url}/api/products/${BIG_PRODUCT_HANDLE}`);
    const scenarios = [
      { name: 'list newest', url: `${api.url}/api/products?limit=24` },
      { name: 'list price-asc', url: `${api.url}/api/products?sort=price-asc&limit=24` },
      {
        name: `list category=${LARGE_CATEGORY_HANDLE}`,
        url: `${api.url}/api/products?category=${LARGE_CATEGORY_HANDLE}&limit=24`,
      },
      { name: `list q=${LARGE_SEARCH_WORD}`, url: `${api.url}/api/products?q=${LARGE_SEARCH_WORD}` },
      { name: 'detail (10 variants)', url: `${api.url}/api/products/${NORMAL_PRODUCT_HANDLE}` },
      {
        name: `detail (${BIG_PRODUCT_VARIANTS} variants)`,
        url: `${api.url}/api/products/${BIG_PRODUCT_HANDLE}`,
      },
    ];
    for (const connections of [LATENCY_CONNECTIONS, phase.connections]) {
      console.log(`\n  -- ${connections} connections --`);
      const results = await runScenarios(scenarios, { ...phase, connections });
      printLargeResults(results, connections === LATENCY_CONNECTIONS);
    }
  });
}

/** The big product must come back whole: every variant, each with both of its options. */
async function expectBigProduct(url: string): Promise<void> {
  const product = JSON.parse((await probe(url)).body.toString()) as {
    options: { name: string; values: string[] }[];
    variants: { options: Record<string, string> }[];
  };
  const combinations = new Set(product.variants.map((v) => JSON.stringify(v.options)));
  const complete = product.variants.every((v) => Object.keys(v.options).length === product.options.length);
  const shape = product.options.map((o) => `${o.name} (${o.values.length})`).join(' x ');
  if (
    product.variants.length !== BIG_PRODUCT_VARIANTS ||
    combinations.size !== BIG_PRODUCT_VARIANTS ||
    !complete
  ) {
    throw new Error(
      `${BIG_PRODUCT_HANDLE}: expected ${BIG_PRODUCT_VARIANTS} distinct variants with every option, ` +
        `got ${product.variants.length} (${combinations.size} distinct; options ${shape})`,
    );
  }
  console.log(`  ${BIG_PRODUCT_HANDLE}: ${product.variants.length} variants, options ${shape}  OK`);
}

/** Below saturation on 2 shared cores, so p99 shows query cost rather than queueing. */
const LATENCY_CONNECTIONS = 4;

function printLargeResults(results: Measured[], judge: boolean): void {
  console.log();
  printTable(
    ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'body KB'],
    results.map((r) => [
      r.name,
      formatInt(r.requestsPerSecond),
      formatMs(r.p50Ms),
      formatMs(r.p99Ms),
      formatKb(r.bodyBytes),
    ]),
  );
  if (!judge) return;
  const slow = results.filter((r) => r.p99Ms >= GOALS.largeMaxP99Ms);
  console.log(`\nGoals (at ${LATENCY_CONNECTIONS} connections)`);
  console.log(
    `  every p99 < ${GOALS.largeMaxP99Ms} ms: ${verdict(slow.length === 0)}` +
      (slow.length > 0 ? ` (over: ${slow.map((r) => `${r.name} ${formatMs(r.p99Ms)} ms`).join(', ')})` : ''),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'skip-large': { type: 'boolean', default: false },
    },
  });
  const phases = PHASES[values.quick ? 'quick' : 'full'];
  const started = performance.now();
  await printMachine();

  await benchDemoCatalog(phases.demo);
  if (!values['skip-large']) await benchLargeCatalog(phases.large);
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

cleanUpOnSignals();
try {
  await main();
} catch (error) {
  console.error(`\nbench:api failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
