import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { PNG } from 'pngjs';

/** Helpers for the browser tests: origin policing, pixels, screenshots, axe. */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // WebGL in software, the fast path (no GPU on CI machines).
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // performance.memory with real numbers, and window.gc() for the memory check.
  '--enable-precise-memory-info',
  '--js-flags=--expose-gc',
];

/** Whether there is a Chromium to drive: browser tests skip without one, except on CI, which must have it. */
export function chromiumAvailable(): boolean {
  const present = existsSync(CHROMIUM_PATH);
  if (!present && process.env.CI)
    throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} (.ci/run installs it)`);
  return present;
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1440, height: 900 },
} as const;

/**
 * A browser context whose every request is checked against the storefront's origin: anything
 * else (a fonts CDN, gstatic, Stripe with the test provider) lands in `strayRequests`.
 */
export async function shopContext(
  browser: Browser,
  webUrl: string,
  strayRequests: string[],
  options: { viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: webUrl,
    viewport: options.viewport ?? VIEWPORTS.desktop,
    locale: 'en-US',
    timezoneId: 'America/Los_Angeles',
  });
  const origin = new URL(webUrl).origin;
  context.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin)
      strayRequests.push(`${request.resourceType()} ${url} (from ${request.frame().url()})`);
  });
  return context;
}

/**
 * Collects the Content-Security-Policy violations of every page in the context: the document's
 * `securitypolicyviolation` events (an init script reports them to the console) and Chrome's own
 * "Refused to …" console errors, which also name what a worker was refused.
 */
export async function watchCsp(context: BrowserContext, violations: string[]): Promise<void> {
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    console.error('[csp] ' + e.effectiveDirective + ' refused ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber);
  });`);
  context.on('console', (message) => {
    const text = message.text();
    if (/^\[csp\]|Content Security Policy/.test(text)) violations.push(`${message.page()?.url()}: ${text}`);
  });
}

/** A Content-Security-Policy header as directive -> sources. */
export function cspDirectives(header: string | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out[name.toLowerCase()] = sources;
  }
  return out;
}

/** A page (answered by the test itself) that sends no framing restriction: a control for framedElsewhere. */
export const FRAMEABLE_URL = 'http://frameable.test/';

/**
 * Opens a page on another origin (answered by the test itself) that shows `url` in an iframe,
 * and says whether the browser displayed it, with what the page's console said meanwhile.
 */
export async function framedElsewhere(
  browser: Browser,
  url: string,
): Promise<{ displayed: boolean; frameUrl: string; console: string[] }> {
  const context = await browser.newContext();
  try {
    const framer = 'http://framer.test/';
    await context.route(FRAMEABLE_URL, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>frameable</title><p>shown</p>',
      }),
    );
    await context.route(framer, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>framer</title><iframe src="${url}" width="800" height="600"></iframe>`,
      }),
    );
    const page = await context.newPage();
    const messages: string[] = [];
    page.on('console', (message) => messages.push(message.text()));
    // The parent's load event waits for the frame's, refused or not.
    await page.goto(framer, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const frameUrl = frame?.url() ?? '';
    const displayed =
      frameUrl.startsWith(new URL(url).origin) &&
      ((await frame
        ?.evaluate('document.body ? document.body.innerText.length : 0')
        .catch(() => 0)) as number) > 0;
    return { displayed, frameUrl, console: messages };
  } finally {
    await context.close();
  }
}

/** Full-page screenshots at phone and desktop size, as `<dir>/<name>-phone.png` / `<name>-desktop.png`. */
export async function screenshots(page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    // Let layout (and a resized 3D canvas) settle.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(dir, `${name}-${size}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

export interface PixelStats {
  /** Pixels the model covers (alpha > 0), as a fraction of the image. */
  coverage: number;
  /** Mean colour of the covered pixels, 0–255. */
  mean: [number, number, number];
  /** Standard deviation of luminance over the covered pixels. */
  spread: number;
}

export function pixelStats(png: Buffer): PixelStats {
  const image = PNG.sync.read(png);
  const { data } = image;
  let covered = 0;
  let r = 0;
  let g = 0;
  let b = 0;
  let lum = 0;
  let lum2 = 0;
  for (let i = 0; i < data.length; i += 4) {
    if ((data[i + 3] ?? 0) === 0) continue;
    covered += 1;
    const [pr, pg, pb] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
    r += pr;
    g += pg;
    b += pb;
    const l = 0.2126 * pr + 0.7152 * pg + 0.0722 * pb;
    lum += l;
    lum2 += l * l;
  }
  const n = Math.max(1, covered);
  const meanLum = lum / n;
  return {
    coverage: covered / (image.width * image.height),
    mean: [r / n, g / n, b / n],
    spread: Math.sqrt(Math.max(0, lum2 / n - meanLum * meanLum)),
  };
}

/** Euclidean distance between two mean colours. */
export const colourDistance = (a: [number, number, number], b: [number, number, number]) =>
  Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * What model-viewer draws, without the page behind it: `toDataURL()` renders the scene with a
 * transparent background, so covered pixels are the model's own.
 */
export async function modelSnapshot(model: Locator): Promise<Buffer> {
  const dataUrl = await model.evaluate((element) =>
    (element as unknown as { toDataURL(type: string): string }).toDataURL('image/png'),
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

/** axe-core's source, from the copy Lighthouse ships (no extra dependency). */
export function axeSource(): string | null {
  try {
    const fromLighthouse = createRequire(createRequire(import.meta.url).resolve('lighthouse'));
    return readFileSync(fromLighthouse.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    return null;
  }
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe on the page; returns its serious and critical violations. */
export async function seriousViolations(page: Page, source: string): Promise<AxeViolation[]> {
  await page.evaluate(source);
  // axe's default rules: WCAG 2.x A/AA and best practices, without its experimental ones.
  const violations = (await page.evaluate(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(0, 2).join(' ')),
    })))
  `)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Resolves once React has hydrated the element: a click before that does nothing (a button) or
 * submits natively (a form), which a loaded CI machine makes likely.
 */
export async function hydrated(element: Locator): Promise<void> {
  await element.evaluate(
    (el) =>
      new Promise<void>((resolve) => {
        const check = () =>
          Object.keys(el).some((key) => key.startsWith('__reactProps')) ? resolve() : setTimeout(check, 50);
        check();
      }),
  );
}
