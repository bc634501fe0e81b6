import { DEMO_CATEGORIES, DEMO_COLLECTIONS, DEMO_PRODUCTS } from './demo-catalog.ts';
import type { DemoCatalog } from './seed.ts';

/**
 * Six of the demo's products, for tests that need a catalog but not the demo's look: the same
 * handles, SKUs, prices and stock as the demo (so a test reads the same either way), small
 * images, and one tiny 3D model (TwoCubes, 2.6 kB) instead of four real ones. It still has what
 * tests reach for: options with variants, variant images, a compare-at price, a sold-out
 * variant, a single-variant product, a draft, an archived product, nested categories and
 * collections. Seeding it costs a fraction of the demo's media processing.
 */
const PRODUCTS = new Set([
  'twin-cube-bookends',
  'orb-pendant-lamp',
  'walnut-monitor-stand',
  'wooden-puzzle-cube',
  'prototype-desk-lamp',
  'retired-wall-clock',
]);

const TINY_MODEL = 'TwoCubes.glb';

const products = DEMO_PRODUCTS.filter((p) => PRODUCTS.has(p.handle)).map(({ model, ...p }) =>
  model?.file === TINY_MODEL ? { ...p, model } : p,
);

const usedCategories = new Set(products.flatMap((p) => p.categories));
for (const c of DEMO_CATEGORIES) if (usedCategories.has(c.handle) && c.parent) usedCategories.add(c.parent);

export const FIXTURE_CATALOG: DemoCatalog = {
  categories: DEMO_CATEGORIES.filter((c) => usedCategories.has(c.handle)),
  products,
  collections: DEMO_COLLECTIONS.map((c) => ({ ...c, products: c.products.filter((h) => PRODUCTS.has(h)) })),
  // One rendition width: each image is encoded twice (WebP, AVIF) instead of eight times.
  imageSize: 320,
};
