import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectModel } from '@e3d/assets';
import { contentHashedKey, type ObjectStore, sha256 } from '@e3d/storage';
import { inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  categories,
  collectionProducts,
  collections,
  type ModelStats,
  productCategories,
  productMedia,
  productOptions,
  productOptionValues,
  products,
  productVariants,
  variantOptionValues,
} from '../schema/index.ts';
import { renderProductCard } from './art.ts';
import {
  DEMO_CATEGORIES,
  DEMO_COLLECTIONS,
  DEMO_CURRENCY,
  DEMO_PRODUCTS,
  type DemoCategory,
  type DemoCollection,
  type DemoProduct,
} from './demo-catalog.ts';

/** The seed's 3D models (copied from shared/models; see LICENSES.md there for credits). */
export const DEMO_MODELS_DIR = fileURLToPath(new URL('../../seed-assets/models/', import.meta.url));

/** Serialises two seeders starting at once (any fixed number no one else uses). */
const SEED_LOCK_ID = 7_364_230_002;

export interface SeedDemoCatalogOptions {
  log?: (line: string) => void;
  /** Seed even when products exist: the demo catalog's own rows (by handle) are replaced. */
  force?: boolean;
}

export interface SeedDemoCatalogResult {
  /** False when the catalog already had products and `force` was not set: nothing was written. */
  seeded: boolean;
  products: number;
  variants: number;
  categories: number;
  collections: number;
  media: number;
}

export interface DemoCatalog {
  categories: readonly DemoCategory[];
  products: readonly DemoProduct[];
  collections: readonly DemoCollection[];
}

export const DEMO_CATALOG: DemoCatalog = {
  categories: DEMO_CATEGORIES,
  products: DEMO_PRODUCTS,
  collections: DEMO_COLLECTIONS,
};

/** Consistency checks the database cannot express (every variant picks one value per option…). */
export function validateDemoCatalog(catalog: DemoCatalog = DEMO_CATALOG): string[] {
  const problems: string[] = [];
  const categoryHandles = new Set(catalog.categories.map((c) => c.handle));
  const productHandles = new Set(catalog.products.map((p) => p.handle));
  const skus = new Set<string>();
  if (categoryHandles.size !== catalog.categories.length) problems.push('duplicate category handle');
  if (productHandles.size !== catalog.products.length) problems.push('duplicate product handle');
  for (const c of catalog.categories) {
    if (c.parent && !categoryHandles.has(c.parent))
      problems.push(`category ${c.handle}: unknown parent ${c.parent}`);
  }
  for (const p of catalog.products) {
    if (p.variants.length === 0) problems.push(`${p.handle}: no variants`);
    if (p.categories.length === 0) problems.push(`${p.handle}: no category`);
    for (const c of p.categories)
      if (!categoryHandles.has(c)) problems.push(`${p.handle}: unknown category ${c}`);
    const combos = new Set<string>();
    for (const v of p.variants) {
      if (skus.has(v.sku)) problems.push(`${p.handle}: duplicate SKU ${v.sku}`);
      skus.add(v.sku);
      for (const o of p.options) {
        const value = v.options[o.name];
        if (value === undefined || !o.values.includes(value))
          problems.push(`${v.sku}: needs one of ${o.name}: ${o.values.join(', ')}`);
      }
      for (const name of Object.keys(v.options)) {
        if (!p.options.some((o) => o.name === name)) problems.push(`${v.sku}: unknown option ${name}`);
      }
      const combo = p.options.map((o) => v.options[o.name]).join('\u0000');
      if (combos.has(combo)) problems.push(`${v.sku}: same option values as another variant`);
      combos.add(combo);
    }
    for (const image of p.images) {
      if (image.variantSku && !p.variants.some((v) => v.sku === image.variantSku)) {
        problems.push(`${p.handle}: image for unknown variant ${image.variantSku}`);
      }
    }
  }
  for (const c of catalog.collections) {
    for (const h of c.products)
      if (!productHandles.has(h)) problems.push(`collection ${c.handle}: unknown product ${h}`);
  }
  return problems;
}

interface PreparedObject {
  key: string;
  hash: string;
  bytes: Uint8Array;
  mimeType: string;
}

interface PreparedImage extends PreparedObject {
  width: number;
  height: number;
}

interface PreparedModel extends PreparedObject {
  stats: ModelStats;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function prepareImages(catalog: DemoCatalog): Promise<Map<DemoProduct, PreparedImage[]>> {
  const jobs = catalog.products.flatMap((product) => product.images.map((image) => ({ product, image })));
  const rendered = await mapLimit(jobs, 4, async ({ image }) => {
    const card = await renderProductCard(image.art);
    const hash = sha256(card.bytes);
    return {
      key: contentHashedKey('img', hash, 'webp'),
      hash,
      bytes: card.bytes,
      mimeType: card.mimeType,
      width: card.width,
      height: card.height,
    };
  });
  const byProduct = new Map<DemoProduct, PreparedImage[]>();
  jobs.forEach(({ product }, i) => {
    const list = byProduct.get(product) ?? [];
    list.push(rendered[i] as PreparedImage);
    byProduct.set(product, list);
  });
  return byProduct;
}

async function prepareModels(catalog: DemoCatalog): Promise<Map<string, PreparedModel>> {
  const files = [...new Set(catalog.products.flatMap((p) => (p.model ? [p.model.file] : [])))];
  const models = new Map<string, PreparedModel>();
  for (const file of files) {
    const bytes = new Uint8Array(await readFile(path.join(DEMO_MODELS_DIR, file)));
    const hash = sha256(bytes);
    models.set(file, {
      key: contentHashedKey('models', hash, 'glb'),
      hash,
      bytes,
      mimeType: 'model/gltf-binary',
      stats: await inspectModel(bytes),
    });
  }
  return models;
}

/** Content-hashed keys are immutable: an object already there (earlier seed) is not rewritten. */
async function storeObjects(store: ObjectStore, objects: readonly PreparedObject[]): Promise<number> {
  const unique = [...new Map(objects.map((o) => [o.key, o])).values()];
  let written = 0;
  await mapLimit(unique, 4, async (o) => {
    const existing = await store.head(o.key);
    if (existing && existing.byteSize === o.bytes.byteLength) return;
    await store.put(o.key, o.bytes, { contentType: o.mimeType });
    written++;
  });
  return written;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Fills an empty catalog with the demo shop: categories, collections, products with options,
 * variants, stock, generated product images and real 3D models. Idempotent: when any product
 * exists (and `force` is not set) it does nothing and returns `seeded: false`. Objects are
 * stored first (content-hashed, so a rolled-back seed leaves only harmless orphans); every row
 * is written in one transaction.
 */
export async function seedDemoCatalog(
  db: Database,
  store: ObjectStore,
  options: SeedDemoCatalogOptions = {},
): Promise<SeedDemoCatalogResult> {
  const log = options.log ?? (() => {});
  const force = options.force ?? false;
  const catalog = DEMO_CATALOG;
  const nothing: SeedDemoCatalogResult = {
    seeded: false,
    products: 0,
    variants: 0,
    categories: 0,
    collections: 0,
    media: 0,
  };

  const problems = validateDemoCatalog(catalog);
  if (problems.length > 0) throw new Error(`demo catalog is inconsistent: ${problems.join('; ')}`);

  const hasProducts = async (q: Pick<Database['orm'], 'select'>) =>
    (await q.select({ id: products.id }).from(products).limit(1)).length > 0;
  if (!force && (await hasProducts(db.orm))) {
    log('seed: the catalog already has products; nothing to do (use force to reseed the demo catalog)');
    return nothing;
  }

  const images = await prepareImages(catalog);
  const models = await prepareModels(catalog);
  const allObjects: PreparedObject[] = [...[...images.values()].flat(), ...models.values()];
  const written = await storeObjects(store, allObjects);
  log(
    `seed: ${[...images.values()].flat().length} images and ${models.size} models ready (${written} objects written to ${store.driver} storage)`,
  );

  const now = Date.now();
  const result = await db.orm.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK_ID})`);
    if (!force && (await hasProducts(tx))) return null; // another seeder got there first

    if (force) {
      const productHandles = catalog.products.map((p) => p.handle);
      const categoryHandles = catalog.categories.map((c) => c.handle);
      await tx.delete(products).where(inArray(products.handle, productHandles));
      await tx.delete(collections).where(
        inArray(
          collections.handle,
          catalog.collections.map((c) => c.handle),
        ),
      );
      // children before parents (parent_id is ON DELETE RESTRICT)
      await tx
        .delete(categories)
        .where(sql`${inArray(categories.handle, categoryHandles)} AND ${isNotNull(categories.parentId)}`);
      await tx.delete(categories).where(inArray(categories.handle, categoryHandles));
    }

    // categories
    const categoryId = new Map(catalog.categories.map((c) => [c.handle, randomUUID()]));
    const siblingPosition = new Map<string, number>();
    await tx.insert(categories).values(
      catalog.categories.map((c) => {
        const parentKey = c.parent ?? '';
        const position = siblingPosition.get(parentKey) ?? 0;
        siblingPosition.set(parentKey, position + 1);
        return {
          id: categoryId.get(c.handle) as string,
          parentId: c.parent ? (categoryId.get(c.parent) as string) : null,
          handle: c.handle,
          name: c.name,
          description: c.description,
          position,
        };
      }),
    );

    // products
    const productId = new Map(catalog.products.map((p) => [p.handle, randomUUID()]));
    await tx.insert(products).values(
      catalog.products.map((p) => {
        const createdAt = new Date(now - p.ageDays * DAY_MS);
        return {
          id: productId.get(p.handle) as string,
          handle: p.handle,
          title: p.title,
          description: p.description,
          status: p.status,
          seoTitle: p.seoTitle,
          seoDescription: p.seoDescription,
          publishedAt: p.status === 'draft' ? null : createdAt,
          createdAt,
          updatedAt: createdAt,
        };
      }),
    );

    // options and their values
    const optionRows: (typeof productOptions.$inferInsert)[] = [];
    const valueRows: (typeof productOptionValues.$inferInsert)[] = [];
    const valueId = new Map<string, string>(); // `${handle}\0${option}\0${value}` -> id
    for (const p of catalog.products) {
      p.options.forEach((o, position) => {
        const id = randomUUID();
        optionRows.push({ id, productId: productId.get(p.handle) as string, name: o.name, position });
        o.values.forEach((value, valuePosition) => {
          const vid = randomUUID();
          valueId.set(`${p.handle}\0${o.name}\0${value}`, vid);
          valueRows.push({ id: vid, optionId: id, value, position: valuePosition });
        });
      });
    }
    if (optionRows.length > 0) await tx.insert(productOptions).values(optionRows);
    if (valueRows.length > 0) await tx.insert(productOptionValues).values(valueRows);

    // variants
    const variantId = new Map<string, string>(); // sku -> id
    const variantRows: (typeof productVariants.$inferInsert)[] = [];
    const variantValueRows: (typeof variantOptionValues.$inferInsert)[] = [];
    for (const p of catalog.products) {
      p.variants.forEach((v, position) => {
        const id = randomUUID();
        variantId.set(v.sku, id);
        const [lengthMm, widthMm, heightMm] = v.dimensionsMm;
        variantRows.push({
          id,
          productId: productId.get(p.handle) as string,
          sku: v.sku,
          title: p.options.length === 0 ? 'Default' : p.options.map((o) => v.options[o.name]).join(' / '),
          priceAmount: v.price,
          currency: DEMO_CURRENCY,
          compareAtAmount: v.compareAt ?? null,
          stockOnHand: v.stock,
          allowBackorder: v.allowBackorder ?? false,
          weightGrams: v.weightGrams,
          lengthMm,
          widthMm,
          heightMm,
          position,
        });
        for (const o of p.options) {
          variantValueRows.push({
            variantId: id,
            optionValueId: valueId.get(`${p.handle}\0${o.name}\0${v.options[o.name]}`) as string,
          });
        }
      });
    }
    await tx.insert(productVariants).values(variantRows);
    if (variantValueRows.length > 0) await tx.insert(variantOptionValues).values(variantValueRows);

    // categories of each product (position 0 = primary)
    await tx.insert(productCategories).values(
      catalog.products.flatMap((p) =>
        p.categories.map((c, position) => ({
          productId: productId.get(p.handle) as string,
          categoryId: categoryId.get(c) as string,
          position,
        })),
      ),
    );

    // collections
    const collectionRows = catalog.collections.map((c, position) => ({
      id: randomUUID(),
      handle: c.handle,
      title: c.title,
      description: c.description,
      featured: c.featured,
      position,
    }));
    await tx.insert(collections).values(collectionRows);
    await tx.insert(collectionProducts).values(
      catalog.collections.flatMap((c, i) =>
        c.products.map((handle, position) => ({
          collectionId: collectionRows[i]?.id as string,
          productId: productId.get(handle) as string,
          position,
        })),
      ),
    );

    // media: images first (the first is the listing thumbnail), then the 3D model
    const mediaRows: (typeof productMedia.$inferInsert)[] = [];
    for (const p of catalog.products) {
      const id = productId.get(p.handle) as string;
      const rendered = images.get(p) ?? [];
      p.images.forEach((image, position) => {
        const object = rendered[position] as PreparedImage;
        mediaRows.push({
          productId: id,
          variantId: image.variantSku ? (variantId.get(image.variantSku) as string) : null,
          kind: 'image',
          position,
          alt: image.alt,
          storageKey: object.key,
          contentHash: object.hash,
          mimeType: object.mimeType,
          byteSize: object.bytes.byteLength,
          width: object.width,
          height: object.height,
        });
      });
      if (p.model) {
        const model = models.get(p.model.file) as PreparedModel;
        mediaRows.push({
          productId: id,
          kind: 'model',
          position: p.images.length,
          alt: p.model.alt,
          storageKey: model.key,
          contentHash: model.hash,
          mimeType: model.mimeType,
          byteSize: model.bytes.byteLength,
          modelStats: model.stats,
          attribution: p.model.attribution,
        });
      }
    }
    await tx.insert(productMedia).values(mediaRows);

    return {
      seeded: true,
      products: catalog.products.length,
      variants: variantRows.length,
      categories: catalog.categories.length,
      collections: collectionRows.length,
      media: mediaRows.length,
    } satisfies SeedDemoCatalogResult;
  });

  if (!result) {
    log('seed: another process seeded the catalog first; nothing to do');
    return nothing;
  }
  log(
    `seed: inserted ${result.products} products (${result.variants} variants), ${result.categories} categories, ${result.collections} collections, ${result.media} media`,
  );
  return result;
}
