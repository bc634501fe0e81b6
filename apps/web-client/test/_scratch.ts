import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.ts';
import { startStack } from './stack.ts';
const stack = await startStack('embedded');
const [variant] = await stack.api.db.query<{ id: string }>(`SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.handle = 'walnut-monitor-stand' ORDER BY v.position LIMIT 1`);
console.log('variant', variant);
await stack.api.db.query('UPDATE product_variants SET stock_on_hand = 1 WHERE id = $1', [variant!.id]);
await stack.api.runtime.cache.invalidate();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
for (const n of [1, 2]) {
  const page = await browser.newPage({ baseURL: stack.webUrl });
  page.on('response', async (r) => { if (r.url().includes('/api/')) console.log(n, r.request().method(), r.url(), r.status(), r.status() >= 400 ? await r.text() : ''); });
  await page.goto(`/products/walnut-monitor-stand?variant=${variant!.id}`);
  await page.waitForTimeout(2000);
  console.log(await page.evaluate(`document.querySelector('[data-variant-id]').getAttribute('data-variant-id')`));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForTimeout(3000);
}
await browser.close();
await stack.close();
