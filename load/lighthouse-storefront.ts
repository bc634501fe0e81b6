/**
 * Page speed of the storefront as PageSpeed Insights measures it. `pnpm bench:storefront [--postgres] [--runs N]`
 *
 * Starts the API (demo catalog, processed) and the storefront's production build on free ports
 * (packages/testing/src/stack.ts; embedded PGlite by default, `--postgres` for Postgres + Redis),
 * then runs Lighthouse — mobile form factor, default simulated throttling, as PageSpeed does —
 * three times on the home page, a category listing and a product page with a 3D model, and
 * prints the median of each number beside its goal. The product page's first-load JavaScript is
 * measured with a real browser: every script response, gzipped with zlib, split into the 3D
 * code (model-viewer / three.js, and its decoders) and everything else.
 *
 * A report: it exits 0 whatever the numbers (1 only when it cannot run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type Stack, startStack } from '@e3d/testing/stack';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { cleanUpOnSignals, withCleanup } from './lib/cleanup.ts';
import { heading, printTable, verdict } from './lib/report.ts';

const CHROME_PATH = process.env.CHROME_PATH ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  // WebGL in software (no GPU here), the fast path.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'listing', path: '/categories/lighting' },
  { name: 'product (3D)', path: '/products/sci-fi-helmet-replica' },
] as const;

const GOALS = {
  performance: 95,
  accessibility: 95,
  lcpMs: 2000,
  cls: 0.02,
  firstLoadJsKb: 150,
};

/**
 * Scripts that are the 3D viewer: model-viewer's element definition, or three.js' renderer. (The
 * app's own code names `ModelViewerElement` where it imports the viewer, so that alone is no mark.)
 */
const THREE_D_MARKERS = [/customElements\.define\(\s*["']model-viewer["']/, /WebGLRenderer/];
/** Decoders model-viewer fetches for compressed models, served by the storefront. */
const DECODER_PATH = /^\/(draco|basis|meshopt)\//;

interface Run {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  lcp: number;
  cls: number;
  tbt: number;
  fcp: number;
  /** The LCP element and where its time went (TTFB, load delay, load time, render delay). */
  lcpElement: string;
  lcpPhases: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Chromium with a DevTools port for Lighthouse (which drives it through its own puppeteer). */
async function launchChrome(): Promise<{ port: number; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'e3d-lighthouse-'));
  const child: ChildProcess = spawn(
    CHROME_PATH,
    [...CHROME_FLAGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`chromium did not open a DevTools port:\n${err}`)),
      30_000,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}):\n${err}`)));
  });
  return {
    port,
    async close() {
      child.kill('SIGTERM');
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function audit(url: string, port: number): Promise<Run> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
  });
  const lhr = result?.lhr;
  if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? Number.NaN) * 100);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  for (const warning of lhr.runWarnings) console.warn(`  lighthouse warning: ${warning.split('\n')[0]}`);
  type Table = { items?: Record<string, unknown>[] };
  const lcpDetails = (lhr.audits['largest-contentful-paint-element']?.details ?? {}) as { items?: Table[] };
  const node = lcpDetails.items?.[0]?.items?.[0]?.node as { snippet?: string; selector?: string } | undefined;
  const phases = (lcpDetails.items?.[1]?.items ?? []) as { phase?: string; timing?: number }[];
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    lcp: numeric('largest-contentful-paint'),
    cls: numeric('cumulative-layout-shift'),
    tbt: numeric('total-blocking-time'),
    fcp: numeric('first-contentful-paint'),
    lcpElement: (node?.snippet ?? node?.selector ?? '?').replace(/\s+/g, ' ').slice(0, 140),
    lcpPhases: phases.map((p) => `${p.phase} ${Math.round(p.timing ?? 0)} ms`).join(', '),
  };
}

interface JsWeight {
  appKb: number;
  threeDKb: number;
  decodersKb: number;
  scripts: { url: string; kb: number; kind: 'app' | '3D' | 'decoder' }[];
  modelLoaded: boolean;
}

/** Every script the product page loads (first visit, empty cache), gzipped, by kind. */
async function productJavaScript(url: string): Promise<JsWeight> {
  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROME_FLAGS.slice(1) });
  try {
    const page = await browser.newPage({ viewport: { width: 412, height: 823 } });
    const pending: Promise<void>[] = [];
    const scripts: JsWeight['scripts'] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      pending.push(
        response
          .body()
          .then((body) => {
            const { pathname } = new URL(response.url());
            const source = body.toString('utf8');
            const kind = DECODER_PATH.test(pathname)
              ? 'decoder'
              : THREE_D_MARKERS.some((marker) => marker.test(source))
                ? '3D'
                : 'app';
            scripts.push({ url: pathname, kb: gzipSync(body, { level: 9 }).length / 1024, kind });
          })
          .catch(() => undefined),
      );
    });
    await page.goto(url, { waitUntil: 'load' });
    const modelLoaded = await page
      .waitForSelector('[data-model-loaded="true"]', { timeout: 45_000 })
      .then(() => true)
      .catch(() => false);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await Promise.all(pending);
    const sum = (kind: string) => scripts.filter((s) => s.kind === kind).reduce((n, s) => n + s.kb, 0);
    return { appKb: sum('app'), threeDKb: sum('3D'), decodersKb: sum('decoder'), scripts, modelLoaded };
  } finally {
    await browser.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: { postgres: { type: 'boolean', default: false }, runs: { type: 'string', default: '3' } },
  });
  const runs = Math.max(1, Number(values.runs) || 3);
  if (!existsSync(CHROME_PATH)) throw new Error(`no Chromium at ${CHROME_PATH} (set CHROME_PATH)`);
  cleanUpOnSignals();
  await withCleanup(async (defer) => {
    const backend = values.postgres ? 'postgres+redis' : 'embedded';
    const started = Date.now();
    console.log(`starting the stack (${backend}; builds the storefront when its sources changed)…`);
    const stack: Stack = await startStack(backend);
    defer(() => stack.close());
    console.log(`storefront ${stack.webUrl} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // Warm the server (ISR caches, image renditions) so Lighthouse measures the page, not a cold start.
    for (const p of PAGES) await (await fetch(`${stack.webUrl}${p.path}`)).arrayBuffer();

    const chrome = await launchChrome();
    defer(() => chrome.close());
    const results = new Map<string, Run[]>();
    for (let i = 0; i < runs; i++) {
      for (const p of PAGES) {
        const t = Date.now();
        const run = await audit(`${stack.webUrl}${p.path}`, chrome.port);
        results.set(p.name, [...(results.get(p.name) ?? []), run]);
        console.log(
          `  run ${i + 1}/${runs} ${p.name.padEnd(12)} perf ${run.performance} a11y ${run.accessibility} LCP ${Math.round(run.lcp)} ms (${((Date.now() - t) / 1000).toFixed(0)} s)`,
        );
      }
    }

    const js = await productJavaScript(`${stack.webUrl}${PAGES[2].path}`);

    heading(`Lighthouse, mobile, simulated throttling — median of ${runs} (${backend})`);
    const rows = PAGES.map((p) => {
      const list = results.get(p.name) ?? [];
      const m = (key: Exclude<keyof Run, 'lcpElement' | 'lcpPhases'>) => median(list.map((r) => r[key]));
      return {
        name: p.name,
        performance: m('performance'),
        accessibility: m('accessibility'),
        bestPractices: m('bestPractices'),
        seo: m('seo'),
        lcp: m('lcp'),
        cls: m('cls'),
        tbt: m('tbt'),
        fcp: m('fcp'),
      };
    });
    printTable(
      ['page', 'perf', 'a11y', 'best-pr.', 'SEO', 'LCP s', 'CLS', 'TBT ms', 'FCP s'],
      rows.map((r) => [
        `${r.name} ${PAGES.find((p) => p.name === r.name)?.path}`,
        String(r.performance),
        String(r.accessibility),
        String(r.bestPractices),
        String(r.seo),
        (r.lcp / 1000).toFixed(2),
        r.cls.toFixed(3),
        String(Math.round(r.tbt)),
        (r.fcp / 1000).toFixed(2),
      ]),
    );

    heading('LCP element (run with the median LCP; phases as Lighthouse simulates them)');
    for (const p of PAGES) {
      const list = [...(results.get(p.name) ?? [])].sort((a, b) => a.lcp - b.lcp);
      const run = list[Math.floor(list.length / 2)];
      if (run) console.log(`  ${p.name}: ${run.lcpElement}\n    ${run.lcpPhases}`);
    }

    heading('Product page JavaScript (first load, gzip)');
    printTable(
      ['kind', 'kB gzip', 'files'],
      (['app', '3D', 'decoder'] as const).map((kind) => {
        const list = js.scripts.filter((s) => s.kind === kind);
        return [
          kind === 'app' ? 'first-load JS (without 3D)' : kind === '3D' ? '3D chunk(s)' : '3D decoders',
          list.reduce((n, s) => n + s.kb, 0).toFixed(1),
          String(list.length),
        ];
      }),
    );
    for (const s of js.scripts.filter((x) => x.kind !== 'app'))
      console.log(`  ${s.kind}: ${s.url} ${s.kb.toFixed(1)} kB`);
    if (!js.modelLoaded) console.log('  note: the model did not report data-model-loaded="true" within 45 s');

    heading('Goals');
    const goalRows: string[][] = [];
    for (const r of rows) {
      goalRows.push([
        `${r.name}: performance`,
        String(r.performance),
        `>= ${GOALS.performance}`,
        verdict(r.performance >= GOALS.performance),
      ]);
      goalRows.push([
        `${r.name}: accessibility`,
        String(r.accessibility),
        `>= ${GOALS.accessibility}`,
        verdict(r.accessibility >= GOALS.accessibility),
      ]);
      goalRows.push([
        `${r.name}: LCP`,
        `${(r.lcp / 1000).toFixed(2)} s`,
        `<= ${GOALS.lcpMs / 1000} s`,
        verdict(r.lcp <= GOALS.lcpMs),
      ]);
      goalRows.push([`${r.name}: CLS`, r.cls.toFixed(3), `<= ${GOALS.cls}`, verdict(r.cls <= GOALS.cls)]);
    }
    goalRows.push([
      'product: first-load JS (without 3D)',
      `${js.appKb.toFixed(1)} kB`,
      `<= ${GOALS.firstLoadJsKb} kB`,
      verdict(js.appKb <= GOALS.firstLoadJsKb),
    ]);
    printTable(['goal', 'measured', 'target', 'result'], goalRows);
    const failed = goalRows.filter((r) => r[3] === 'FAIL').length;
    console.log(
      `\n${failed === 0 ? 'every goal met' : `${failed} of ${goalRows.length} goals missed`} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
    );
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
