import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumAvailable,
  cspDirectives,
  hydrated,
  VIEWPORTS,
  watchCsp,
} from '@e3d/testing/browser';
import { startTestCdn, type TestCdn } from '@e3d/testing/cloudfront';
import { startS3rver, type TestS3Server } from '@e3d/testing/s3rver';
import { E2E_BACKENDS, type Stack, startStack } from '@e3d/testing/stack';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * The production storage path, in a real browser: the API stores the demo catalog's processed
 * models and images in S3 (s3rver, a real S3-compatible server) with CLOUDFRONT_URL set, a
 * stand-in CloudFront serves the bucket's `/assets/*`, and the storefront's production build runs
 * with the same settings. The product page's model comes from the CDN host and model-viewer
 * loads it; every image decodes from there too; the CSP allows that host and nothing is refused.
 *
 * This failed before the storefront kept CDN URLs as given: it rewrote every asset URL to its own
 * `/assets/…`, which the API serves only for local storage, so on S3 the model and each image
 * were 404s.
 */

const haveChromium = chromiumAvailable();

/** The demo's helmet: DamagedHelmet.glb (textured), with product images. */
const PRODUCT = { handle: 'sci-fi-helmet-replica', title: 'Sci-Fi Battle Helmet Replica' };
const MODEL = '[data-testid="product-model"]';

describe.skipIf(!haveChromium).each(E2E_BACKENDS)('storefront on S3 behind a CDN (%s)', (backend) => {
  let s3: TestS3Server;
  let cdn: TestCdn;
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const requests: string[] = [];
  const failed: string[] = [];
  const cspViolations: string[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ baseURL: stack.webUrl, viewport: VIEWPORTS.desktop });
    contexts.push(context);
    await watchCsp(context, cspViolations);
    context.on('request', (request) => requests.push(request.url()));
    context.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  };

  /** Resolves with the `src` of every <img> matched once each has decoded (or null if one failed). */
  const decodedImages = (page: Page, selector: string) =>
    page.waitForFunction(
      (css) => {
        const doc = (
          globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<unknown> } }
        ).document;
        const images = [...doc.querySelectorAll(css)] as {
          complete: boolean;
          naturalWidth: number;
          currentSrc: string;
        }[];
        if (images.length === 0 || images.some((img) => !img.complete)) return false;
        return images.map((img) => (img.naturalWidth > 0 ? img.currentSrc : null));
      },
      selector,
      { timeout: 60_000 },
    );

  beforeAll(async () => {
    // The SDK's default credential chain finds s3rver's account, as it finds the task role's on ECS.
    s3 = await startS3rver({ bucket: 'e3d-assets', credentialsInEnv: true });
    cdn = await startTestCdn(`${s3.endpoint}/${s3.bucket}`);
    stack = await startStack(backend, { env: { ...s3.env, CLOUDFRONT_URL: cdn.url } });
    cdn.allowOrigin(stack.webUrl);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 600_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await cdn?.close();
    await s3?.close();
  });

  it("loads the product's 3D model and images from the CDN host", async () => {
    expect(stack.api.runtime.store.driver).toBe('s3');
    const page = await newPage();
    const response = await page.goto(`/products/${PRODUCT.handle}`);
    await page.getByRole('heading', { level: 1, name: PRODUCT.title }).waitFor();

    const cta = page.getByRole('button', { name: 'View in 3D' });
    await hydrated(cta);
    await cta.click();
    // model-viewer's `load` event sets it.
    await page.waitForSelector(`${MODEL}[data-model-loaded="true"]`, { timeout: 90_000 });
    const src = await page.locator(MODEL).evaluate((el) => (el as unknown as { src: string }).src);
    expect(src.startsWith(`${cdn.url}/assets/models/`), src).toBe(true);
    expect(cdn.requests).toContain(new URL(src).pathname);

    // The poster and the gallery's thumbnails: decoded, from the CDN.
    const sources = (await (
      await decodedImages(page, '[data-phase] img, [role="tablist"] img')
    ).jsonValue()) as (string | null)[];
    expect(sources.length).toBeGreaterThan(1);
    for (const source of sources)
      expect(source?.startsWith(`${cdn.url}/assets/img/`), String(source)).toBe(true);

    // Every asset came from the CDN; nothing asked the storefront for /assets, nothing failed.
    const assets = requests.filter((url) => new URL(url).pathname.startsWith('/assets/'));
    expect(assets.length).toBeGreaterThan(2);
    expect(assets.filter((url) => new URL(url).origin !== cdn.url)).toEqual([]);
    expect(failed).toEqual([]);
    expect(cspViolations).toEqual([]);
    // Allowed by the page's policy, which names the CDN's origin.
    const csp = cspDirectives(response?.headers()['content-security-policy']);
    for (const directive of ['img-src', 'connect-src', 'media-src']) {
      expect(csp[directive], directive).toContain(cdn.url);
    }
  }, 150_000);

  it('shows CDN images in client-rendered parts: search suggestions and the cart', async () => {
    const page = await newPage();
    await page.goto(`/products/${PRODUCT.handle}`);
    const search = page.getByRole('combobox');
    await hydrated(search);
    await search.fill('helmet');
    const suggestion = page.getByRole('option', { name: new RegExp(PRODUCT.title) });
    await suggestion.waitFor();
    const [thumb] = (await (await decodedImages(page, '[role="listbox"] img')).jsonValue()) as (
      | string
      | null
    )[];
    expect(thumb?.startsWith(`${cdn.url}/assets/img/`), String(thumb)).toBe(true);

    await search.fill('');
    const add = page.getByRole('button', { name: 'Add to cart' });
    await hydrated(add);
    await add.click();
    await page
      .getByTestId('cart-drawer')
      .getByRole('link', { name: new RegExp(PRODUCT.title) })
      .first()
      .waitFor();
    const [line] = (await (await decodedImages(page, '[data-testid="cart-drawer"] img')).jsonValue()) as (
      | string
      | null
    )[];
    expect(line?.startsWith(`${cdn.url}/assets/img/`), String(line)).toBe(true);

    // The sitemap names the images where they are served.
    const sitemap = await (await fetch(`${stack.webUrl}/sitemap.xml`)).text();
    expect(sitemap).toContain(`<image:loc>${cdn.url}/assets/img/`);
    expect(failed).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 120_000);
});
