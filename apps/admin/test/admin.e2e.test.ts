import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOwner } from '@e3d/api';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../api/test/support.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH, VIEWPORTS } from '../../web-client/test/browser.ts';
import { type Stack, startStack } from '../../web-client/test/stack.ts';

/**
 * The admin as staff use it, in a real browser against the production builds of the admin and
 * the storefront, the API and a worker: sign in, create a product with two variants, upload a
 * real 3D model and watch it reach ready with its stats, publish it and find it in the shop with
 * its model; a corrupt upload explained and cleaned up; a support-role user who cannot edit.
 */

const haveChromium = existsSync(CHROMIUM_PATH);
if (!haveChromium && process.env.CI)
  throw new Error(`CI needs Chromium at ${CHROMIUM_PATH} (.ci/run installs it)`);

const HELMET = fileURLToPath(new URL('../../../../shared/models/DamagedHelmet.glb', import.meta.url));
const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

const backends = process.env.E2E_BACKENDS
  ? BACKENDS.filter((b) => process.env.E2E_BACKENDS?.split(',').includes(b))
  : BACKENDS;

/** Every file under `dir` whose name contains `part` (what an upload may have left in storage). */
function filesNamed(dir: string, part: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.includes(part))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

interface StaffLogin {
  email: string;
  password: string;
}

describe.skipIf(!haveChromium).each(backends)('admin in a browser (%s)', (backend) => {
  let stack: Stack;
  let browser: Browser;
  let owner: StaffLogin;
  let support: StaffLogin;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const title = `Orbit Lamp ${backend === 'embedded' ? 'E' : 'P'}${Date.now().toString(36)}`;
  let productId = '';
  let handle = '';

  const adminUrl = () => stack.adminUrl ?? '';

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({
      baseURL: adminUrl(),
      viewport: VIEWPORTS.desktop,
      locale: 'en-US',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  };

  const signIn = async (login: StaffLogin): Promise<Page> => {
    const page = await newPage();
    await page.goto('/');
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill(login.email);
    await page.getByLabel('Password').fill(login.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    return page;
  };

  const staffOf = async (role: 'owner' | 'support'): Promise<StaffLogin> => {
    const email = `${role}-${Date.now().toString(36)}@staff.test`;
    const created = await createOwner(stack.api.db, { email, name: `Test ${role}` });
    if (!created.created || !created.password) throw new Error('staff not created');
    if (role !== 'owner')
      await stack.api.db.query('UPDATE staff SET role = $1 WHERE id = $2', [role, created.id]);
    return { email, password: created.password };
  };

  beforeAll(async () => {
    stack = await startStack(backend, { admin: true, worker: true });
    owner = await staffOf('owner');
    support = await staffOf('support');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 900_000);

  afterEach(async (context) => {
    const failed = context.task.result?.state === 'fail';
    let n = 0;
    for (const c of contexts.splice(0)) {
      for (const page of failed ? c.pages() : []) {
        n += 1;
        const name = `failed-${backend}-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}-${n}.png`;
        await page
          .screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true })
          .catch(() => undefined);
      }
      await c.close().catch(() => undefined);
    }
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
  });

  it('signs in, creates a product with two variants, uploads the helmet, publishes it', async () => {
    const page = await signIn(owner);
    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.waitForURL(/\/products\/[0-9a-f-]{36}$/);
    productId = page.url().split('/').pop() ?? '';

    // Two variants from one option, each with its price and stock.
    await page.getByRole('button', { name: 'Add option' }).click();
    await page.getByLabel('Option 1 name').fill('Colour');
    await page.getByLabel('Option 1 values').fill('Red, Blue');
    await page.getByRole('button', { name: 'Generate variants' }).click();
    await page.getByLabel('Price for Red', { exact: true }).fill('129.00');
    await page.getByLabel('Stock for Red').fill('7');
    await page.getByLabel('Price for Blue', { exact: true }).fill('139.50');
    await page.getByLabel('Stock for Blue').fill('3');
    await expect.poll(() => page.getByText('Unsaved changes').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('All changes saved').waitFor();
    const variants = await stack.api.db.query<{ title: string; price_amount: number; stock_on_hand: number }>(
      'SELECT title, price_amount, stock_on_hand FROM product_variants WHERE product_id = $1 ORDER BY price_amount',
      [productId],
    );
    expect(variants.map((v) => [v.price_amount, v.stock_on_hand])).toEqual([
      [12_900, 7],
      [13_950, 3],
    ]);

    const upload = page.getByLabel('Upload media');
    await upload.setInputFiles(HELMET);
    const row = page.getByTestId('upload-row').filter({ hasText: 'DamagedHelmet.glb' });
    await expect.poll(async () => row.textContent(), { timeout: 180_000, interval: 1000 }).toMatch(/Ready/);

    const [media] = await stack.api.db.query<{ status: string; triangles: number }>(
      `SELECT status, (model_stats->>'triangles')::int AS triangles FROM product_media WHERE product_id = $1 AND kind = 'model'`,
      [productId],
    );
    expect(media?.status).toBe('ready');
    // The web preset simplifies the helmet's 46,356 triangles; the card shows what was kept.
    expect(media?.triangles).toBeGreaterThan(5_000);
    expect(media?.triangles).toBeLessThan(46_356);
    const card = page.getByTestId('media-item').filter({ hasText: 'Triangles' });
    await expect
      .poll(() => card.textContent(), { timeout: 30_000 })
      .toContain(new Intl.NumberFormat('en-US').format(media?.triangles ?? 0));

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.getByTestId('product-status').textContent()).toContain('Published');
    const [row2] = await stack.api.db.query<{ handle: string; status: string }>(
      'SELECT handle, status FROM products WHERE id = $1',
      [productId],
    );
    expect(row2?.status).toBe('published');
    handle = row2?.handle ?? '';
  });

  it('finds the published product on the storefront with its 3D model', async () => {
    expect(handle).not.toBe('');
    const context = await browser.newContext({ baseURL: stack.webUrl, viewport: VIEWPORTS.desktop });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`/products/${handle}`);
    await page.getByRole('heading', { name: title }).waitFor();
    // The optimized helmet, as the worker left it, is what the shop's viewer loads.
    const [media] = await stack.api.db.query<{ storage_key: string; byte_size: number }>(
      `SELECT storage_key, byte_size FROM product_media WHERE product_id = $1 AND kind = 'model'`,
      [productId],
    );
    expect(media?.byte_size).toBeLessThan(readFileSync(HELMET).byteLength);
    const cta = page.getByRole('button', { name: 'View in 3D' });
    if (await cta.isVisible().catch(() => false)) await cta.click({ timeout: 2_000 }).catch(() => undefined);
    await page.waitForSelector('[data-testid="product-model"][data-model-loaded="true"]', {
      timeout: 90_000,
    });
    const src = await page
      .locator('[data-testid="product-model"]')
      .evaluate((el) => (el as unknown as { src: string }).src);
    expect(src).toContain(media?.storage_key ?? 'missing');
  });

  it('explains a corrupt upload and leaves nothing behind', async () => {
    expect(productId).not.toBe('');
    const page = await signIn(owner);
    await page.goto(`/products/${productId}`);
    // Starts like a GLB (magic, version 2) and then lies about its length and chunks.
    const corrupt = Buffer.concat([
      Buffer.from('glTF', 'ascii'),
      Buffer.from([2, 0, 0, 0, 0xff, 0xff, 0, 0]),
      Buffer.alloc(256, 0x5a),
    ]);
    await page.getByLabel('Upload media').setInputFiles({
      name: 'broken-chair.glb',
      mimeType: 'model/gltf-binary',
      buffer: corrupt,
    });
    const row = page.getByTestId('upload-row').filter({ hasText: 'broken-chair.glb' });
    await expect
      .poll(async () => row.getAttribute('data-phase'), { timeout: 120_000, interval: 500 })
      .toBe('failed');
    const reason = (await row.getByRole('status').textContent()) ?? '';
    expect(reason).toMatch(/^Failed: \S.{10,}/);

    await row.getByRole('button', { name: 'Remove broken-chair.glb' }).click();
    await expect.poll(() => row.count()).toBe(0);
    const left = await stack.api.db.query<{ kind: string; status: string }>(
      'SELECT kind, status FROM product_media WHERE product_id = $1 ORDER BY position',
      [productId],
    );
    expect(left).toEqual([{ kind: 'model', status: 'ready' }]);
    expect(filesNamed(path.join(stack.api.config.dataDir, 'storage'), 'broken-chair')).toEqual([]);
  });

  it('lets a support-role user view the product but not edit it', async () => {
    expect(productId).not.toBe('');
    const page = await signIn(support);
    // Sections the role cannot use are not offered.
    const nav = page.getByRole('navigation', { name: 'Sections' });
    await expect.poll(() => nav.getByRole('link', { name: 'Orders' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Staff' }).count()).toBe(0);

    await page.goto(`/products/${productId}`);
    await page.getByText('You can view products; editing needs a catalog role.').waitFor();
    expect(await page.getByLabel('Title', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Publish', exact: true }).count()).toBe(0);
    expect(await page.getByLabel('Upload media').count()).toBe(0);

    // And the API refuses the write the page does not offer.
    const answer = await page.evaluate(async (id) => {
      const { cookie } = (globalThis as unknown as { document: { cookie: string } }).document;
      const csrf = cookie.match(/e3d_staff_csrf=([^;]+)/)?.[1] ?? '';
      const response = await fetch(`/api/admin/products/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ title: 'Hijacked', version: 1 }),
      });
      return { status: response.status, body: (await response.json()) as { code: string } };
    }, productId);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('forbidden');
    const [product] = await stack.api.db.query<{ title: string }>(
      'SELECT title FROM products WHERE id = $1',
      [productId],
    );
    expect(product?.title).toBe(title);
  });
});
