import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_MODELS_DIR, planImport, readImportSource, runImport } from '@e3d/catalog';
import { adminMediaSchema, directUploadSchema } from '@e3d/contracts';
import { staffToken } from '@e3d/testing/api';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable, hydrated } from '@e3d/testing/browser';
import { E2E_BACKENDS, type Stack, startStack } from '@e3d/testing/stack';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Pages the storefront has cached (300 s ISR) change the moment the worker finishes what changed
 * them: a 3D model processed for a product shows on its page and its listing card, and a product
 * an import created shows on the home page, its category and its own page — in the production
 * build, with the worker running beside the API, without waiting out the cache.
 */

const haveChromium = chromiumAvailable();

const MODEL = '[data-testid="product-model"]';
/** Published, in the lighting category, with images and no model in the demo catalog. */
const LAMP = { handle: 'arc-floor-lamp', title: 'Arc Floor Lamp' };
/** Imported: one with an image for the pipeline, one with no files (only the import tells the storefront). */
const IMPORTED = [
  { handle: 'imported-desk-globe', title: 'Imported Desk Globe', image: true },
  { handle: 'imported-plain-box', title: 'Imported Plain Box', image: false },
];

/** A small opaque PNG, so the import has an image to process. */
function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 4) {
    image.data[i] = 40 + ((i / 4) % width);
    image.data[i + 1] = 90;
    image.data[i + 2] = 160;
    image.data[i + 3] = 255;
  }
  return PNG.sync.write(image);
}

describe.skipIf(!haveChromium).each(E2E_BACKENDS)(
  'storefront revalidation after the worker (%s)',
  (backend) => {
    let stack: Stack;
    let browser: Browser;
    let context: BrowserContext;
    let auth: { authorization: string };
    const dirs: string[] = [];

    /**
     * Waits until the queue has nothing left to run: the media job, and the storefront call the
     * change queued with it. A deadline only bounds a hung worker; nothing is timed.
     */
    const queueSettled = async () => {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const [row] = await stack.api.db.query<{ live: number }>(
          `SELECT count(*)::int AS live FROM jobs WHERE state IN ('queued', 'running')`,
        );
        if (row?.live === 0) return;
        if (Date.now() > deadline) throw new Error(`${row?.live} job(s) still waiting`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const productId = async (handle: string) => {
      const [row] = await stack.api.db.query<{ id: string }>('SELECT id FROM products WHERE handle = $1', [
        handle,
      ]);
      if (!row) throw new Error(`no product ${handle}`);
      return row.id;
    };

    /** What the admin app does: grant, post the signed form with the file, confirm. */
    const uploadModel = async (product: string, file: string) => {
      const bytes = readFileSync(file);
      const filename = path.basename(file);
      const grant = await stack.api.app.inject({
        method: 'POST',
        url: `/api/admin/products/${product}/media/uploads`,
        headers: auth,
        payload: { kind: 'model', filename, contentType: 'model/gltf-binary', byteSize: bytes.byteLength },
      });
      expect(grant.statusCode, grant.body).toBe(201);
      const granted = directUploadSchema.parse(grant.json());
      const form = new FormData();
      for (const [name, value] of Object.entries(granted.upload.fields)) form.append(name, value);
      form.append('file', new Blob([bytes], { type: 'model/gltf-binary' }), filename);
      const sent = await fetch(`${stack.apiUrl}${new URL(granted.upload.url).pathname}`, {
        method: 'POST',
        body: form,
      });
      expect(sent.status).toBe(201);
      const confirmed = await stack.api.app.inject({
        method: 'POST',
        url: `/api/admin/products/${product}/media`,
        headers: auth,
        payload: { kind: 'model', uploadKey: granted.uploadKey, alt: `3D model of ${LAMP.title}` },
      });
      expect(confirmed.statusCode, confirmed.body).toBe(202);
      return adminMediaSchema.parse(confirmed.json());
    };

    const open = async (url: string): Promise<{ page: Page; status: number }> => {
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      const response = await page.goto(url);
      return { page, status: response?.status() ?? 0 };
    };

    /** The card a listing shows for a product, by its title. */
    const card = (page: Page, title: string) => page.locator('article').filter({ hasText: title });

    beforeAll(async () => {
      stack = await startStack(backend, { worker: true });
      auth = { authorization: `Bearer ${(await staffToken(stack.api, 'catalog_editor')).token}` };
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      context = await browser.newContext({ baseURL: stack.webUrl, viewport: { width: 1280, height: 900 } });
    }, 900_000);

    afterAll(async () => {
      await context?.close().catch(() => undefined);
      await browser?.close();
      await stack?.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('shows a model on the product page and its listing card as soon as the worker has it ready', async () => {
      // Both pages rendered and cached before the upload.
      const product = await open(`/products/${LAMP.handle}`);
      await product.page.getByRole('heading', { name: LAMP.title }).waitFor();
      expect(await product.page.getByRole('button', { name: 'View in 3D' }).count()).toBe(0);
      const listing = await open('/categories/lighting');
      await card(listing.page, LAMP.title).waitFor();
      expect(await card(listing.page, LAMP.title).textContent()).not.toContain('3D');

      const media = await uploadModel(
        await productId(LAMP.handle),
        path.join(DEMO_MODELS_DIR, 'TwoCubes.glb'),
      );
      await queueSettled();
      const [row] = await stack.api.db.query<{ status: string; storage_key: string }>(
        'SELECT status, storage_key FROM product_media WHERE id = $1',
        [media.id],
      );
      expect(row?.status).toBe('ready');

      await product.page.reload();
      await product.page.getByRole('heading', { name: LAMP.title }).waitFor();
      const view = product.page.getByRole('button', { name: 'View in 3D' });
      expect(await view.count()).toBe(1);
      await hydrated(view);
      await view.click();
      await product.page.waitForSelector(`${MODEL}[data-model-loaded="true"]`, { timeout: 90_000 });
      const src = await product.page.locator(MODEL).evaluate((el) => (el as unknown as { src: string }).src);
      expect(src).toContain(row?.storage_key ?? 'missing');

      await listing.page.reload();
      expect(await card(listing.page, LAMP.title).textContent()).toContain('3D');
    });

    it('shows imported products on the home page, their category and their own pages once the import is done', async () => {
      const home = await open('/');
      await home.page.getByRole('heading', { level: 1 }).waitFor();
      const listing = await open('/categories/lighting');
      await card(listing.page, LAMP.title).waitFor();
      for (const product of IMPORTED) {
        expect(await home.page.getByText(product.title).count()).toBe(0);
        expect(await card(listing.page, product.title).count()).toBe(0);
        expect((await open(`/products/${product.handle}`)).status).toBe(404);
      }

      // The `e3d import` command's path: a folder of product folders, published.
      const dir = mkdtempSync(path.join(tmpdir(), 'e3d-revalidate-import-'));
      dirs.push(dir);
      for (const product of IMPORTED) {
        const folder = path.join(dir, product.handle);
        mkdirSync(folder);
        if (product.image) writeFileSync(path.join(folder, 'front.png'), png(480, 360));
        writeFileSync(
          path.join(folder, 'product.json'),
          JSON.stringify({ title: product.title, price: '24.00', stock: 5, category: 'home-decor/lighting' }),
        );
      }
      const { config } = stack.api;
      const source = await readImportSource(dir, {
        currency: 'USD',
        status: 'published',
        folderPrice: '0.00',
        maxImageBytes: config.IMAGE_MAX_BYTES,
        maxModelBytes: config.MODEL_MAX_BYTES,
      });
      const plan = await planImport(stack.api.db, source);
      expect(plan.problems).toEqual([]);
      const report = await runImport(stack.api.db, stack.api.runtime.store, plan, { config });
      expect(report.created.map((c) => c.product.handle).sort()).toEqual(
        IMPORTED.map((p) => p.handle).sort(),
      );
      // The import processes its media itself, and the stack's worker may take some of it: both count.
      await queueSettled();
      const media = await stack.api.db.query<{ status: string }>(
        `SELECT m.status FROM product_media m JOIN products p ON p.id = m.product_id WHERE p.handle = $1`,
        [IMPORTED[0]?.handle],
      );
      expect(media.map((m) => m.status)).toEqual(['ready']);

      await home.page.reload();
      await home.page.getByRole('heading', { level: 1 }).waitFor();
      await listing.page.reload();
      await card(listing.page, LAMP.title).waitFor();
      for (const product of IMPORTED) {
        expect(await home.page.getByText(product.title).count(), product.handle).toBeGreaterThan(0);
        expect(await card(listing.page, product.title).count(), product.handle).toBe(1);
        const shown = await open(`/products/${product.handle}`);
        expect(shown.status, product.handle).toBe(200);
        await shown.page.getByRole('heading', { name: product.title }).waitFor();
        // The processed image, not the "No image yet" placeholder.
        if (product.image) expect(await shown.page.locator('main picture img').count()).toBeGreaterThan(0);
      }
    });
  },
);
