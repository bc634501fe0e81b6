import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoCommerceSettings } from '@e3d/commerce';
import { type Database, schema } from '@e3d/db';
import { enqueueSql } from '@e3d/jobs';
import { MEDIA_QUEUE, mediaJobKey } from '@e3d/media';
import { type ObjectStore, uploadKey } from '@e3d/storage';
import { inArray, isNotNull, sql } from 'drizzle-orm';
import { renderProductCard } from './art.ts';

const {
  categories,
  collectionProducts,
  collections,
  productCategories,
  productMedia,
  productOptions,
  productOptionValues,
  products,
  productVariants,
  variantOptionValues,
} = schema;

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

/** A file staged for the media pipeline, exactly as a staff upload would be. */
interface PreparedObject {
  key: string;
  filename: string;
  bytes: Uint8Array;
  mimeType: string;
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function prepareImages(catalog: DemoCatalog): Promise<Map<DemoProduct, PreparedObject[]>> {
  const jobs = catalog.products.flatMap((product) => product.images.map((image) => ({ product, image })));
  const rendered = await mapLimit(jobs, 4, async ({ product, image }, i) => {
    const card = await renderProductCard(image.art);
    const filename = `${product.handle}-${i}.webp`;
    return { key: uploadKey(filename), filename, bytes: card.bytes, mimeType: card.mimeType };
  });
  const byProduct = new Map<DemoProduct, PreparedObject[]>();
  jobs.forEach(({ product }, i) => {
    const list = byProduct.get(product) ?? [];
    list.push(rendered[i] as PreparedObject);
    byProduct.set(product, list);
  });
  return byProduct;
}

async function prepareModels(catalog: DemoCatalog): Promise<Map<DemoProduct, PreparedObject>> {
  const models = new Map<DemoProduct, PreparedObject>();
  for (const product of catalog.products) {
    if (!product.model) continue;
    const bytes = new Uint8Array(await readFile(path.join(DEMO_MODELS_DIR, product.model.file)));
    const filename = product.model.file.toLowerCase();
    models.set(product, { key: uploadKey(filename), filename, bytes, mimeType: 'model/gltf-binary' });
  }
  return models;
}

/** Stages every file as an upload; the media pipeline turns them into served assets. */
async function stageObjects(store: ObjectStore, objects: readonly PreparedObject[]): Promise<void> {
  await mapLimit(objects, 4, (o) => store.put(o.key, o.bytes, { contentType: o.mimeType }));
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
  await stageObjects(store, allObjects);
  log(`seed: ${[...images.values()].flat().length} images and ${models.size} models staged for processing`);

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

    // media: images first (the first is the listing thumbnail), then the 3D model. They go
    // through the same pipeline as a staff upload: staged now, processed by the worker.
    const mediaRows: (typeof productMedia.$inferInsert)[] = [];
    const staged = (o: PreparedObject) => ({
      status: 'uploaded' as const,
      uploadKey: o.key,
      uploadFilename: o.filename,
      uploadContentType: o.mimeType,
    });
    for (const p of catalog.products) {
      const id = productId.get(p.handle) as string;
      const rendered = images.get(p) ?? [];
      p.images.forEach((image, position) => {
        mediaRows.push({
          productId: id,
          variantId: image.variantSku ? (variantId.get(image.variantSku) as string) : null,
          kind: 'image',
          position,
          alt: image.alt,
          ...staged(rendered[position] as PreparedObject),
        });
      });
      const model = models.get(p);
      if (p.model && model) {
        mediaRows.push({
          productId: id,
          kind: 'model',
          position: p.images.length,
          alt: p.model.alt,
          attribution: p.model.attribution,
          ...staged(model),
        });
      }
    }
    const mediaIds = await tx.insert(productMedia).values(mediaRows).returning({ id: productMedia.id });
    for (const { id } of mediaIds) {
      await tx.execute(enqueueSql(MEDIA_QUEUE, { mediaId: id }, { dedupeKey: mediaJobKey(id) }));
    }

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
  const commerce = await db.transaction((conn) => seedDemoCommerceSettings(conn));
  log(
    `seed: inserted ${commerce.shippingMethods} shipping methods, ${commerce.taxRates} tax rates, ${commerce.promotions} promotions`,
  );
  log(
    `seed: inserted ${result.products} products (${result.variants} variants), ${result.categories} categories, ${result.collections} collections, ${result.media} media`,
  );
  return result;
}
