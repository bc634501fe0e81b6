/**
 * Checkout throughput and the oversell race on real Postgres + Redis. `pnpm bench:checkout [--quick]`
 *
 * 1. Throughput: complete guest checkouts (add a line to a new cart, then POST /api/checkout
 *    with the test card) at 1, 8 and 32 concurrent shoppers, spread over the demo catalog's
 *    variants. Each concurrency also runs two baselines in the same minute, because the
 *    machine is shared and noisy: adding a line to a new cart (the flow's first half) and
 *    reading a cart. The ratio against "add line" is the number to compare between runs.
 * 2. Oversell race: rounds of 50 buyers, each with the variant in their cart, checking out at
 *    once for a variant with stock 1 (and rounds with stock 5). Units sold are counted from the
 *    database; anything beyond the stock is an oversell and fails the bench (exit code 1).
 *
 * The API runs as a child process (its own event loop, apart from this load generator) with its
 * default pool. A fresh database is created and dropped; nothing else is touched.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedDemoCatalog } from '@e3d/catalog';
import { migrate, openDatabase, rows, sql } from '@e3d/db';
import { createLocalStore } from '@e3d/storage';
import { freePorts } from '@e3d/testing/ports';
import { startApi } from './lib/api.ts';
import { cleanUpOnSignals, withCleanup } from './lib/cleanup.ts';
import { createScratchDatabase, POSTGRES_URL, queryOnce, REDIS_URL } from './lib/databases.ts';
import { formatInt, formatMs, formatRatio, heading, printTable, verdict } from './lib/report.ts';

const CARD = '4242424242424242';
const ADDRESS = {
  name: 'Bench Shopper',
  line1: '1 Market St',
  city: 'San Francisco',
  region: 'CA',
  postalCode: '94105',
  country: 'US',
};

const PLANS = {
  full: {
    concurrencies: [1, 8, 32],
    warmupSeconds: 1,
    durationSeconds: 5,
    stock1Rounds: 20,
    stock5Rounds: 2,
  },
  quick: {
    concurrencies: [1, 8, 32],
    warmupSeconds: 0.5,
    durationSeconds: 2,
    stock1Rounds: 5,
    stock5Rounds: 1,
  },
};
const RACE_BUYERS = 50;

// ---------------------------------------------------------------- HTTP

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Keep-alive sockets, as a browser or a load balancer would hold them. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function call(
  base: string,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(pathname, base);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
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
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function expectStatus(what: string, answer: Answer, status: number): void {
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
}

/** A shopper's whole visit, as two calls: a new cart with one line, then the checkout. */
interface Shop {
  base: string;
  shippingMethodId: string;
}

async function addToNewCart(shop: Shop, variantId: string, quantity = 1): Promise<string> {
  const added = await call(shop.base, 'POST', '/api/cart/lines', { variantId, quantity });
  expectStatus('add line', added, 200);
  const cartId = added.headers['x-cart-id'];
  if (typeof cartId !== 'string') throw new Error('add line: no x-cart-id in the answer');
  return cartId;
}

function checkout(shop: Shop, cartId: string): Promise<Answer> {
  return call(
    shop.base,
    'POST',
    '/api/checkout',
    {
      email: 'bench@example.com',
      shippingAddress: ADDRESS,
      shippingMethodId: shop.shippingMethodId,
      payment: { method: CARD },
    },
    { 'x-cart-id': cartId, 'idempotency-key': randomUUID() },
  );
}

// ---------------------------------------------------------------- measuring

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

interface Run {
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ops: number;
  /** The latency of the step named by the operation (the checkout call alone), when it reports one. */
  stepP50Ms: number;
  stepP99Ms: number;
}

/**
 * `concurrency` loops, each running `op` back to back until the time is up. An operation that
 * throws (a wrong status) stops the bench: a fast wrong answer is not throughput.
 */
async function runFor(
  concurrency: number,
  seconds: number,
  op: (worker: number, i: number) => Promise<number | undefined>,
): Promise<Run> {
  const latencies: number[] = [];
  const steps: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const step = await op(worker, i++);
        latencies.push(performance.now() - t0);
        if (step !== undefined) steps.push(step);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  steps.sort((a, b) => a - b);
  return {
    opsPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ops: latencies.length,
    stepP50Ms: percentile(steps, 0.5),
    stepP99Ms: percentile(steps, 0.99),
  };
}

async function measure(
  concurrency: number,
  plan: { warmupSeconds: number; durationSeconds: number },
  op: (worker: number, i: number) => Promise<number | undefined>,
): Promise<Run> {
  await runFor(concurrency, plan.warmupSeconds, op);
  return runFor(concurrency, plan.durationSeconds, op);
}

// ---------------------------------------------------------------- the bench

async function printMachine(): Promise<void> {
  const cpus = os.cpus();
  const [server] = await queryOnce<{ server_version: string }>(POSTGRES_URL, 'SHOW server_version');
  console.log('Checkout benchmark');
  console.log(`  machine   ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}`);
  console.log(`  node      ${process.version}`);
  console.log(`  postgres  ${server?.server_version ?? 'unknown version'} at ${POSTGRES_URL}`);
  console.log(`  redis     ${REDIS_URL}`);
  console.log('  note      load generator, API, Postgres and Redis share these cores');
}

interface Prepared {
  databaseUrl: string;
  dataDir: string;
  /** Variants the throughput phase spreads its orders over (stock set high). */
  variants: string[];
  /** The variant the oversell race fights over. */
  raceVariant: string;
  shippingMethodId: string;
}

async function prepare(defer: (step: () => Promise<void>) => void): Promise<Prepared> {
  const database = await createScratchDatabase();
  defer(() => database.drop());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'e3d-bench-checkout-'));
  defer(() => rm(dataDir, { recursive: true, force: true }));
  console.log(`  database  ${database.name}`);

  const started = performance.now();
  const db = await openDatabase({ databaseUrl: database.url, poolMax: 4 });
  try {
    await migrate(db);
    // Rows only: checkout needs no processed media.
    await seedDemoCatalog(
      db,
      createLocalStore({ root: path.join(dataDir, 'storage'), publicBaseUrl: 'http://127.0.0.1' }),
    );
    const variants = await rows<{ id: string }>(
      db,
      sql`SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id
          WHERE p.status = 'published' ORDER BY v.id`,
    );
    const [shipping] = await rows<{ id: string }>(
      db,
      sql`SELECT id FROM shipping_methods WHERE code = 'standard'`,
    );
    const [race, ...rest] = variants.map((v) => v.id);
    if (!race || rest.length === 0 || !shipping) throw new Error('the demo catalog has no variants to sell');
    await rows(
      db,
      sql`UPDATE product_variants SET stock_on_hand = 1000000, allow_backorder = false
          WHERE id = ANY(${sql.param(rest)}::uuid[])`,
    );
    console.log(
      `  migrated and seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
        `${rest.length} variants for the throughput phase, 1 for the race`,
    );
    return {
      databaseUrl: database.url,
      dataDir,
      variants: rest,
      raceVariant: race,
      shippingMethodId: shipping.id,
    };
  } finally {
    await db.close();
  }
}

interface ThroughputRow {
  scenario: string;
  concurrency: number;
  run: Run;
  baseline: Run;
}

async function benchThroughput(
  shop: Shop,
  prepared: Prepared,
  plan: (typeof PLANS)['full'],
): Promise<ThroughputRow[]> {
  heading(
    `Throughput: ${plan.durationSeconds} s per scenario after ${plan.warmupSeconds} s warm-up, ` +
      `orders spread over ${prepared.variants.length} variants`,
  );
  const variantOf = (i: number) => prepared.variants[i % prepared.variants.length] as string;
  // One cart to read for the GET baseline.
  const readCart = await addToNewCart(shop, variantOf(0));
  const rows: ThroughputRow[] = [];
  for (const concurrency of plan.concurrencies) {
    process.stdout.write(`  ${concurrency} concurrent:`);
    const addLine = await measure(concurrency, plan, async (_w, i) => {
      await addToNewCart(shop, variantOf(i));
      return undefined;
    });
    process.stdout.write(` add line ${formatInt(addLine.opsPerSecond)}/s,`);
    const getCart = await measure(concurrency, plan, async () => {
      expectStatus(
        'GET /api/cart',
        await call(shop.base, 'GET', '/api/cart', undefined, { 'x-cart-id': readCart }),
        200,
      );
      return undefined;
    });
    process.stdout.write(` get cart ${formatInt(getCart.opsPerSecond)}/s,`);
    const flow = await measure(concurrency, plan, async (_w, i) => {
      const cartId = await addToNewCart(shop, variantOf(i));
      const t0 = performance.now();
      const answer = await checkout(shop, cartId);
      const ms = performance.now() - t0;
      expectStatus('checkout', answer, 201);
      const result = JSON.parse(answer.body) as { order: { status: string } };
      if (result.order.status !== 'paid')
        throw new Error(`checkout: order is ${result.order.status}, not paid`);
      return ms;
    });
    console.log(` checkout ${formatInt(flow.opsPerSecond)} orders/s`);
    rows.push({ scenario: 'add line (new cart)', concurrency, run: addLine, baseline: addLine });
    rows.push({ scenario: 'GET /api/cart', concurrency, run: getCart, baseline: addLine });
    rows.push({ scenario: 'checkout (add + pay)', concurrency, run: flow, baseline: addLine });
  }
  console.log();
  printTable(
    ['scenario', 'conc', 'ops/s', 'p50 ms', 'p99 ms', 'checkout call p50', 'p99', 'vs add line'],
    rows.map((r) => [
      r.scenario,
      String(r.concurrency),
      formatInt(r.run.opsPerSecond),
      formatMs(r.run.p50Ms),
      formatMs(r.run.p99Ms),
      Number.isNaN(r.run.stepP50Ms) ? '' : formatMs(r.run.stepP50Ms),
      Number.isNaN(r.run.stepP99Ms) ? '' : formatMs(r.run.stepP99Ms),
      formatRatio(r.run.opsPerSecond / r.baseline.opsPerSecond),
    ]),
  );
  return rows;
}

interface RaceRound {
  stock: number;
  sold: number;
  placed: number;
  outOfStock: number;
  other: string[];
  stockAfter: number;
  ms: number;
}

async function raceRound(
  shop: Shop,
  databaseUrl: string,
  variantId: string,
  stock: number,
): Promise<RaceRound> {
  await queryOnce(
    databaseUrl,
    'UPDATE product_variants SET stock_on_hand = $2, allow_backorder = false WHERE id = $1',
    [variantId, stock],
  );
  // Every buyer has the item in their cart before the race starts.
  const carts: string[] = [];
  for (let i = 0; i < RACE_BUYERS; i += 10) {
    carts.push(...(await Promise.all(Array.from({ length: 10 }, () => addToNewCart(shop, variantId)))));
  }
  const started = performance.now();
  const answers = await Promise.all(carts.map((cartId) => checkout(shop, cartId)));
  const ms = performance.now() - started;
  const other: string[] = [];
  let placed = 0;
  let outOfStock = 0;
  for (const answer of answers) {
    const code = answer.status >= 400 ? (JSON.parse(answer.body) as { code?: string }).code : undefined;
    if (answer.status === 201) placed++;
    else if (answer.status === 409 && code === 'out_of_stock') outOfStock++;
    else other.push(`${answer.status} ${code ?? answer.body.slice(0, 100)}`);
  }
  // Counted from the database, not from the answers: what was sold, and what the shelf says.
  const [sold] = await queryOnce<{ n: number }>(
    databaseUrl,
    `SELECT coalesce(sum(l.quantity), 0)::int AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
     WHERE l.variant_id = $1 AND o.cart_id = ANY($2::uuid[]) AND o.status IN ('paid', 'fulfilled', 'delivered')`,
    [variantId, carts],
  );
  const [after] = await queryOnce<{ n: number }>(
    databaseUrl,
    'SELECT stock_on_hand AS n FROM product_variants WHERE id = $1',
    [variantId],
  );
  return {
    stock,
    sold: sold?.n ?? 0,
    placed,
    outOfStock,
    other,
    stockAfter: after?.n ?? Number.NaN,
    ms,
  };
}

/** Returns whether no unit was oversold. */
async function benchOversell(shop: Shop, prepared: Prepared, plan: (typeof PLANS)['full']): Promise<boolean> {
  heading(
    `Oversell race: ${RACE_BUYERS} buyers at once, ${plan.stock1Rounds} rounds with stock 1 and ` +
      `${plan.stock5Rounds} with stock 5`,
  );
  const rounds: RaceRound[] = [];
  for (const stock of [
    ...Array<number>(plan.stock1Rounds).fill(1),
    ...Array<number>(plan.stock5Rounds).fill(5),
  ]) {
    rounds.push(await raceRound(shop, prepared.databaseUrl, prepared.raceVariant, stock));
    process.stdout.write('.');
  }
  console.log('\n');
  const rows: string[][] = [];
  let oversold = 0;
  let ok = true;
  for (const stock of [1, 5]) {
    const these = rounds.filter((r) => r.stock === stock);
    if (these.length === 0) continue;
    const over = these.reduce((n, r) => n + Math.max(0, r.sold - r.stock), 0);
    const negative = these.filter((r) => r.stockAfter < 0).length;
    const inconsistent = these.filter((r) => r.stockAfter !== r.stock - r.sold).length;
    const undersold = these.filter((r) => r.sold < Math.min(r.stock, RACE_BUYERS)).length;
    const times = these.map((r) => r.ms).sort((a, b) => a - b);
    oversold += over;
    if (negative > 0 || inconsistent > 0) ok = false;
    rows.push([
      `stock ${stock}`,
      String(these.length),
      formatInt(these.reduce((n, r) => n + r.sold, 0)),
      formatInt(these.length * Math.min(stock, RACE_BUYERS)),
      String(over),
      formatInt(these.reduce((n, r) => n + r.placed, 0)),
      formatInt(these.reduce((n, r) => n + r.outOfStock, 0)),
      String(these.reduce((n, r) => n + r.other.length, 0)),
      String(negative + inconsistent),
      String(undersold),
      formatMs(percentile(times, 0.5)),
      formatMs(times.at(-1) ?? Number.NaN),
    ]);
  }
  printTable(
    [
      'rounds',
      'n',
      'sold',
      'stock',
      'oversold',
      '201',
      '409 out_of_stock',
      'other',
      'stock mismatch',
      'undersold rounds',
      'round p50 ms',
      'max ms',
    ],
    rows,
  );
  const others = rounds.flatMap((r) => r.other);
  if (others.length > 0) console.log(`\n  other answers: ${[...new Set(others)].slice(0, 5).join('; ')}`);
  console.log(`\n  oversold units: ${oversold}  ${verdict(oversold === 0)}`);
  console.log(`  stock never negative and equal to stock - sold: ${verdict(ok)}`);
  return oversold === 0 && ok;
}

async function main(): Promise<boolean> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const plan = PLANS[values.quick ? 'quick' : 'full'];
  const started = performance.now();
  await printMachine();
  const passed = await withCleanup(async (defer) => {
    const prepared = await prepare(defer);
    const [port = 0] = await freePorts(1);
    const api = await startApi(
      'api',
      { databaseUrl: prepared.databaseUrl, dataDir: prepared.dataDir, port, settings: { REDIS_URL } },
      defer,
    );
    defer(async () => agent.destroy());
    const shop: Shop = { base: api.url, shippingMethodId: prepared.shippingMethodId };
    await benchThroughput(shop, prepared, plan);
    return benchOversell(shop, prepared, plan);
  });
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return passed;
}

cleanUpOnSignals();
try {
  if (!(await main())) {
    console.error('\nbench:checkout: units were oversold or stock went wrong');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`\nbench:checkout failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}
