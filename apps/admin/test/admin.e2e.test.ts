import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOwner } from '@e3d/api';
import { DEMO_MODELS_DIR } from '@e3d/catalog';
import { staffToken } from '@e3d/testing/api';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumAvailable,
  cspDirectives,
  framedElsewhere,
  hydrated,
  VIEWPORTS,
  watchCsp,
} from '@e3d/testing/browser';
import { withMaterialVariants } from '@e3d/testing/material-variants';
import { shopper } from '@e3d/testing/shopper';
import { E2E_BACKENDS, type Stack, startStack } from '@e3d/testing/stack';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/**
 * The admin as staff use it, in a real browser against the production builds of the admin and
 * the storefront, the API and a worker: sign in, create a product with two variants, upload a
 * real 3D model and watch it reach ready with its stats, publish it and find it in the shop with
 * its model; a corrupt upload explained and cleaned up; a support-role user who cannot edit;
 * the security headers (a nonce-based CSP that every page runs under, and no framing).
 */

const haveChromium = chromiumAvailable();

const HELMET = path.join(DEMO_MODELS_DIR, 'DamagedHelmet.glb');
const TWO_CUBES = path.join(DEMO_MODELS_DIR, 'TwoCubes.glb');
const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Every file under `dir` whose name contains `part` (what an upload may have left in storage). */
function filesNamed(dir: string, part: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.includes(part))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

type SessionState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface StaffLogin {
  email: string;
  password: string;
}

describe.skipIf(!haveChromium).each(E2E_BACKENDS)('admin in a browser (%s)', (backend) => {
  let stack: Stack;
  let browser: Browser;
  let owner: StaffLogin;
  let support: StaffLogin;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];
  const title = `Orbit Lamp ${backend === 'embedded' ? 'E' : 'P'}${Date.now().toString(36)}`;
  let productId = '';
  let handle = '';

  const adminUrl = () => stack.adminUrl ?? '';

  /** A full-page picture for the README and for people reviewing the admin (embedded run only). */
  const shot = async (page: Page, name: string) => {
    if (backend !== 'embedded') return;
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `admin-${name}.png`), fullPage: true });
  };

  const orderRow = async (id: string) =>
    (
      await stack.api.db.query<{ status: string; amount_refunded: number }>(
        'SELECT status, amount_refunded FROM orders WHERE id = $1',
        [id],
      )
    )[0];

  /** A guest's paid order for two units of a demo variant, through the API as the storefront places it. */
  const placeOrder = async (): Promise<{ id: string; number: number }> => {
    const [variant] = await stack.api.db.query<{ id: string }>(
      `SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id
       WHERE p.status = 'published' AND v.stock_on_hand > 5 ORDER BY v.price_amount DESC LIMIT 1`,
    );
    const buyer = shopper(stack.api);
    expect((await buyer.add(variant?.id ?? '', 2)).status).toBe(200);
    const [shipping] = await stack.api.db.query<{ id: string }>(
      `SELECT id FROM shipping_methods WHERE code = 'standard'`,
    );
    const placed = await buyer.checkout({
      email: 'grace@example.com',
      shippingAddress: {
        name: 'Grace Hopper',
        line1: '1 Market St',
        city: 'San Francisco',
        region: 'CA',
        postalCode: '94105',
        country: 'US',
      },
      shippingMethodId: shipping?.id,
      payment: { method: '4242 4242 4242 4242' },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    return placed.body.order as { id: string; number: number };
  };

  const newPage = async (state?: SessionState): Promise<Page> => {
    const context = await browser.newContext({
      baseURL: adminUrl(),
      viewport: VIEWPORTS.desktop,
      locale: 'en-US',
      ...(state ? { storageState: state } : {}),
    });
    await watchCsp(context, cspViolations);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    return page;
  };

  // One sign-in per person through the form; later tests reuse its cookies (sign-in is rate limited).
  const sessions = new Map<string, SessionState>();
  const signIn = async (login: StaffLogin): Promise<Page> => {
    const saved = sessions.get(login.email);
    const page = await newPage(saved);
    await page.goto('/');
    if (!saved) {
      await page.waitForURL(/\/login/);
      await page.getByLabel('Email').fill(login.email);
      await page.getByLabel('Password').fill(login.password);
      const submit = page.getByRole('button', { name: 'Sign in' });
      await hydrated(submit);
      await submit.click();
    }
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    if (!saved) sessions.set(login.email, await page.context().storageState());
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
    await watchCsp(context, cspViolations);
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

  it('reports a stale edit instead of overwriting the other save', async () => {
    const page = await signIn(owner);
    await page.goto(`/products/${productId}`);
    const titleField = page.getByLabel('Title', { exact: true });
    await expect.poll(() => titleField.inputValue()).toBe(title);

    // A colleague saves the product meanwhile (through the API, as their admin would).
    const [row] = await stack.api.db.query<{ version: number }>(
      'SELECT version FROM products WHERE id = $1',
      [productId],
    );
    const { token } = await staffToken(stack.api, 'admin');
    const theirs = await stack.api.app.inject({
      method: 'PATCH',
      url: `/api/admin/products/${productId}`,
      headers: { authorization: `Bearer ${token}`, 'if-match': `"${row?.version}"` },
      payload: { description: 'Their description' },
    });
    expect(theirs.statusCode, theirs.body).toBe(200);

    await titleField.fill(`${title} (mine)`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Someone else saved this product since you opened it.').waitFor();
    expect(await titleField.inputValue()).toBe(`${title} (mine)`);
    const [after] = await stack.api.db.query<{ title: string; description: string }>(
      'SELECT title, description FROM products WHERE id = $1',
      [productId],
    );
    expect(after).toEqual({ title, description: 'Their description' });

    // Taking their version drops the unsaved edit and shows what is stored.
    await page.getByRole('button', { name: 'Reload their version' }).click();
    await expect.poll(() => titleField.inputValue()).toBe(title);
    // (The label's text includes the textarea's own text, hence the pattern.)
    expect(await page.getByLabel(/^Description/).inputValue()).toBe('Their description');
  });

  it('asks before leaving a product with unsaved changes', async () => {
    const page = await signIn(owner);
    await page.goto(`/products/${productId}`);
    const titleField = page.getByLabel('Title', { exact: true });
    await expect.poll(() => titleField.inputValue()).toBe(title);
    await titleField.fill(`${title} draft`);
    await page.getByText('Unsaved changes').first().waitFor();

    // Staying: the question is asked, the page and the edit remain.
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Orders' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(page.url()).toContain(`/products/${productId}`);
    expect(await titleField.inputValue()).toBe(`${title} draft`);

    // Leaving on purpose: the edit is dropped, nothing was saved.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL(/\/orders$/);
    const [row] = await stack.api.db.query<{ title: string }>('SELECT title FROM products WHERE id = $1', [
      productId,
    ]);
    expect(row?.title).toBe(title);
  });

  it("captures a poster from the model's 3D view and the shop uses it", async () => {
    const [model] = await stack.api.db.query<{ id: string }>(
      `SELECT id FROM product_media WHERE product_id = $1 AND kind = 'model'`,
      [productId],
    );
    const page = await signIn(owner);
    await page.goto(`/media/${model?.id}`);
    await page.getByRole('heading', { name: '3D model inspector' }).waitFor();
    // Enabled once both views (original and optimized helmet) have loaded: software WebGL on a
    // busy machine takes a while.
    await page.getByRole('button', { name: 'Capture poster' }).click({ timeout: 120_000 });
    await expect
      .poll(
        async () =>
          (
            await stack.api.db.query<{ status: string | null; mime: string | null }>(
              `SELECT p.status, p.mime_type AS mime FROM product_media m
               LEFT JOIN product_media p ON p.id = m.poster_media_id WHERE m.id = $1`,
              [model?.id],
            )
          )[0],
        { timeout: 90_000, interval: 1_000 },
      )
      .toMatchObject({ status: 'ready' });
    const [poster] = await stack.api.db.query<{ id: string; width: number; height: number }>(
      `SELECT p.id, p.width, p.height FROM product_media m JOIN product_media p ON p.id = m.poster_media_id
       WHERE m.id = $1`,
      [model?.id],
    );
    expect(poster?.width).toBeGreaterThan(100);
    await page.getByRole('button', { name: 'Remove poster' }).waitFor();
    const product = await stack.api.app.inject({ method: 'GET', url: `/api/products/${handle}` });
    expect(product.json().models[0].posterImageId).toBe(poster?.id);
  }, 240_000);

  it("maps the product's variants to a model's material variants", async () => {
    const page = await signIn(owner);
    await page.goto(`/products/${productId}`);
    // A small model that declares two looks (KHR_materials_variants), uploaded like any other.
    const model = withMaterialVariants(readFileSync(TWO_CUBES), {
      Crimson: [0.6, 0.05, 0.05],
      Navy: [0.02, 0.05, 0.3],
    });
    await page.getByLabel('Upload media').setInputFiles({
      name: 'two-cubes-looks.glb',
      mimeType: 'model/gltf-binary',
      buffer: model,
    });
    const row = page.getByTestId('upload-row').filter({ hasText: 'two-cubes-looks.glb' });
    await expect
      .poll(() => row.getAttribute('data-phase'), { timeout: 120_000, interval: 500 })
      .toBe('ready');
    const [media] = await stack.api.db.query<{ id: string }>(
      `SELECT id FROM product_media WHERE product_id = $1 AND kind = 'model' ORDER BY created_at DESC LIMIT 1`,
      [productId],
    );

    await page.goto(`/media/${media?.id}`);
    await page.getByRole('heading', { name: 'Material variants' }).waitFor();
    await page.getByLabel(/^Red/).selectOption('Crimson');
    await page.getByLabel(/^Blue/).selectOption('Navy');
    await page.getByRole('button', { name: 'Save material variants' }).click();
    await expect
      .poll(
        async () =>
          (
            await stack.api.db.query<{ title: string; look: string }>(
              `SELECT v.title, l.material_variant AS look FROM media_material_variants l
               JOIN product_variants v ON v.id = l.variant_id WHERE l.media_id = $1 ORDER BY v.title`,
              [media?.id],
            )
          ).map((r) => `${r.title}=${r.look}`),
        { timeout: 15_000 },
      )
      .toEqual(['Blue=Navy', 'Red=Crimson']);
  });

  it('runs an order from the order page: partial refund, then shipped with tracking', async () => {
    const order = await placeOrder();
    const page = await signIn(owner);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page
      .getByRole('link', { name: `#${order.number}` })
      .first()
      .click();
    await page.waitForURL(new RegExp(`/orders/${order.id}$`));

    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    const refund = page.getByRole('dialog');
    await refund.getByLabel(/^Amount/).fill('5.00');
    await refund.getByLabel('Reason (optional)').fill('Scratched base');
    await refund.getByRole('button', { name: 'Issue refund' }).click();
    await expect.poll(() => refund.isVisible()).toBe(false);
    await expect.poll(async () => (await orderRow(order.id))?.amount_refunded, { timeout: 15_000 }).toBe(500);

    await page.getByRole('button', { name: 'Fulfil', exact: true }).click();
    const fulfil = page.getByRole('dialog');
    await fulfil.getByLabel('Carrier').fill('UPS');
    await fulfil.getByLabel('Tracking number').fill('1Z999AA10123456784');
    await fulfil.getByRole('button', { name: 'Mark as shipped' }).click();
    await expect.poll(async () => (await orderRow(order.id))?.status, { timeout: 15_000 }).toBe('fulfilled');
    await page.getByText('1Z999AA10123456784').first().waitFor();
    await shot(page, 'order');
  });

  it('adds, edits and deletes a tax rate in the settings table, each write audited', async () => {
    const name = `Test VAT ${Date.now().toString(36)}`;
    const category = `e2e-${backend === 'embedded' ? 'e' : 'p'}${Date.now().toString(36)}`;
    const rateRow = async () =>
      (
        await stack.api.db.query<{ id: string; rate_ppm: number }>(
          'SELECT id, rate_ppm FROM tax_rates WHERE name = $1',
          [name],
        )
      )[0];
    const page = await signIn(owner);
    await page.goto('/settings/tax');
    const add = page.getByRole('button', { name: 'Add tax rate' });
    await hydrated(add);

    await add.click();
    const created = page.getByRole('dialog', { name: 'Add tax rate' });
    await created.getByLabel('Name', { exact: true }).fill(name);
    await created.getByLabel('Country', { exact: true }).fill('nl');
    await created.getByLabel('Rate (%)').fill('21');
    await created.getByLabel(/^Product tax category/).fill(category);
    await created.getByRole('button', { name: 'Add rate' }).click();
    await page.getByText('Tax rate added.').waitFor();
    const row = page.getByRole('row').filter({ hasText: name });
    await expect.poll(() => row.textContent()).toContain('21%');
    expect((await rateRow())?.rate_ppm).toBe(210_000);

    await page.getByRole('button', { name: `Edit ${name} NL` }).click();
    const edited = page.getByRole('dialog', { name: 'Edit tax rate' });
    expect(await edited.getByLabel('Rate (%)').inputValue()).toBe('21');
    await edited.getByLabel('Rate (%)').fill('9');
    await edited.getByRole('button', { name: 'Save rate' }).click();
    await page.getByText('Tax rate saved.').waitFor();
    await expect.poll(() => row.textContent()).toContain('9%');
    expect((await rateRow())?.rate_ppm).toBe(90_000);

    // A second rate for the same scope: the API's 409 stays in the form, on the field it names.
    await add.click();
    const duplicate = page.getByRole('dialog', { name: 'Add tax rate' });
    await duplicate.getByLabel('Country', { exact: true }).fill('NL');
    await duplicate.getByLabel('Rate (%)').fill('5');
    await duplicate.getByLabel(/^Product tax category/).fill(category);
    await duplicate.getByRole('button', { name: 'Add rate' }).click();
    await duplicate
      .getByRole('alert')
      .filter({ hasText: 'already has a rate for this region and category' })
      .waitFor();
    await duplicate.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => duplicate.count()).toBe(0);

    await page.getByRole('button', { name: `Delete ${name} NL` }).click();
    await page
      .getByRole('dialog', { name: 'Delete tax rate' })
      .getByRole('button', { name: 'Delete rate' })
      .click();
    await page.getByText('Tax rate deleted.').waitFor();
    await expect.poll(() => row.count()).toBe(0);
    const gone = await rateRow();
    expect(gone).toBeUndefined();
    const audited = await stack.api.db.query<{ action: string }>(
      `SELECT action FROM audit_log
       WHERE entity_type = 'tax_rate' AND (after->>'name' = $1 OR before->>'name' = $1) ORDER BY id`,
      [name],
    );
    expect(audited.map((a) => a.action)).toEqual(['tax_rate.create', 'tax_rate.update', 'tax_rate.delete']);
  });

  it('opens every section without an error, and the dashboard counts the sales', async () => {
    const page = await signIn(owner);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    // The orders placed above: the dashboard's revenue total is the API's, drawn as a chart.
    await page.locator('figure svg[role="img"]').first().waitFor({ timeout: 30_000 });
    await shot(page, 'dashboard');
    const [media] = await stack.api.db.query<{ id: string }>(
      `SELECT id FROM product_media WHERE product_id = $1 AND kind = 'model'`,
      [productId],
    );
    const [customer] = await stack.api.db.query<{ id: string }>(
      'SELECT id FROM customers ORDER BY created_at DESC LIMIT 1',
    );
    const sections: [string, string][] = [
      ['/products', 'products'],
      [`/products/${productId}`, 'product'],
      [`/media/${media?.id}`, 'model-inspector'],
      ['/orders', 'orders'],
      ['/customers', 'customers'],
      ...(customer ? ([[`/customers/${customer.id}`, 'customer']] as [string, string][]) : []),
      ['/settings', 'settings-general'],
      ['/settings/tax', 'settings-tax'],
      ['/settings/shipping', 'settings-shipping'],
      ['/settings/promotions', 'settings-promotions'],
      ['/settings/webhooks', 'settings-webhooks'],
      ['/staff', 'staff'],
      ['/audit', 'audit'],
    ];
    const before = pageErrors.length;
    for (const [url, name] of sections) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBeLessThan(400);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      // Each section shows its data (or says it has none), not a spinner or an error.
      await expect
        .poll(() => page.locator('[aria-busy="true"], .spinner').count(), { timeout: 20_000 })
        .toBe(0);
      expect(
        await page
          .getByRole('alert')
          .filter({ hasText: /went wrong|could not/i })
          .count(),
        url,
      ).toBe(0);
      await shot(page, name);
    }
    expect(pageErrors.slice(before)).toEqual([]);
  }, 180_000);

  it('sends the security headers on sign-in and the dashboard, and refuses to be framed', async () => {
    const page = await newPage();
    const login = await page.goto('/login');
    const dashboardPage = await signIn(owner);
    const dashboard = await dashboardPage.goto('/');
    await dashboardPage.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const nonces: string[] = [];
    for (const [name, response] of [
      ['sign-in', login],
      ['dashboard', dashboard],
    ] as const) {
      expect(response?.status(), name).toBe(200);
      const headers = response?.headers() ?? {};
      const csp = cspDirectives(headers['content-security-policy']);
      expect(csp['frame-ancestors'], name).toEqual(["'none'"]);
      expect(csp['default-src'], name).toEqual(["'self'"]);
      expect(csp['object-src'], name).toEqual(["'none'"]);
      // Scripts by nonce only (and what they load): no inline script an injection could add runs.
      const nonce = csp['script-src']?.find((s) => s.startsWith("'nonce-"));
      expect(nonce, name).toBeDefined();
      nonces.push(nonce ?? '');
      expect(csp['script-src'], name).toEqual(
        expect.arrayContaining(["'strict-dynamic'", "'wasm-unsafe-eval'"]),
      );
      expect(csp['script-src'], name).not.toContain("'unsafe-inline'");
      expect(csp['worker-src'], name).toEqual(expect.arrayContaining(['blob:']));
      expect(headers['x-frame-options'], name).toBe('DENY');
      expect(headers['x-content-type-options'], name).toBe('nosniff');
      expect(headers['referrer-policy'], name).toBe('strict-origin-when-cross-origin');
      expect(headers['strict-transport-security'], name).toMatch(/^max-age=\d{8}; includeSubDomains$/);
    }
    expect(new Set(nonces).size).toBe(2);

    // A script injected into the page's HTML (as stored XSS would be) does not run, and the
    // refusal is reported: the page as served, its CSP header included, plus one inline script.
    const refused: string[] = [];
    const probe = await browser.newContext({ baseURL: adminUrl() });
    contexts.push(probe);
    await watchCsp(probe, refused);
    await probe.route(`${adminUrl()}/login`, async (route) => {
      const served = await route.fetch();
      const html = (await served.text()).replace('</body>', '<script>window.injected = true</script></body>');
      await route.fulfill({ response: served, body: html });
    });
    const probePage = await probe.newPage();
    await probePage.goto('/login');
    await probePage.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect.poll(() => refused.join('\n')).toMatch(/script-src(-elem)? refused inline/);
    expect(await probePage.evaluate('window.injected === true')).toBe(false);

    for (const path of ['/login', '/']) {
      const framed = await framedElsewhere(browser, `${adminUrl()}${path}`);
      expect(framed.displayed, `${path}: ${framed.frameUrl}`).toBe(false);
    }
  });

  it('ran every page above under its Content-Security-Policy without a refusal', () => {
    expect(cspViolations).toEqual([]);
  });
});
