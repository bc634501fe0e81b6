import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemoCommerceSettings } from '@e3d/commerce';
import { type Database, rows, type SQL, sql, type Tx } from '@e3d/db';
import { enqueueSql } from '@e3d/jobs';
import { MEDIA_QUEUE, mediaJobKey } from '@e3d/media';
import { type ObjectStore, uploadKey } from '@e3d/storage';
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

/** A catalog to seed: the demo shop (DEMO_CATALOG) or the tests' smaller one (FIXTURE_CATALOG). */
export interface DemoCatalog {
  categories: readonly DemoCategory[];
  products: readonly DemoProduct[];
  collections: readonly DemoCollection[];
  /** Edge of the generated product images in pixels (default: CARD_SIZE, 1200). */
  imageSize?: number;
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
    const card = await renderProductCard(image.art, catalog.imageSize);
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

/** `(a, b), (c, d)`: the rows of a multi-row VALUES list. */
const valuesList = (list: SQL[]) => sql.join(list, sql`, `);

async function hasProducts(conn: Database | Tx): Promise<boolean> {
  return (await rows(conn, sql`SELECT 1 FROM products LIMIT 1`)).length > 0;
}

/** The demo catalog's own rows, found by handle; children before parents (parent_id is ON DELETE RESTRICT). */
async function deleteCatalogRows(tx: Tx, catalog: DemoCatalog): Promise<void> {
  const productHandles = catalog.products.map((p) => p.handle);
  const collectionHandles = catalog.collections.map((c) => c.handle);
  const categoryHandles = catalog.categories.map((c) => c.handle);
  if (productHandles.length > 0) await rows(tx, sql`DELETE FROM products WHERE handle IN ${productHandles}`);
  if (collectionHandles.length > 0) {
    await rows(tx, sql`DELETE FROM collections WHERE handle IN ${collectionHandles}`);
  }
  if (categoryHandles.length > 0) {
    await rows(tx, sql`DELETE FROM categories WHERE handle IN ${categoryHandles} AND parent_id IS NOT NULL`);
    await rows(tx, sql`DELETE FROM categories WHERE handle IN ${categoryHandles}`);
  }
}

/**
 * Fills an empty catalog with the demo shop: categories, collections, products with options,
 * variants, stock, generated product images and real 3D models. Idempotent: when any product
 * exists (and `force` is not set) it does nothing and returns `seeded: false`. Objects are
 * stored first (content-hashed, so a rolled-back seed leaves only harmless orphans); every row
 * is written in one transaction.
 */
export function seedDemoCatalog(
  db: Database,
  store: ObjectStore,
  options: SeedDemoCatalogOptions = {},
): Promise<SeedDemoCatalogResult> {
  return seedCatalog(db, store, DEMO_CATALOG, options);
}

/** Seeds `catalog` the way seedDemoCatalog seeds the demo shop, with the same shop settings. */
export async function seedCatalog(
  db: Database,
  store: ObjectStore,
  catalog: DemoCatalog,
  options: SeedDemoCatalogOptions = {},
): Promise<SeedDemoCatalogResult> {
  const log = options.log ?? (() => {});
  const force = options.force ?? false;
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

  if (!force && (await hasProducts(db))) {
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
    await rows(tx, sql`SELECT pg_advisory_xact_lock(${SEED_LOCK_ID})`);
    if (!force && (await hasProducts(tx))) return null; // another seeder got there first
    if (force) await deleteCatalogRows(tx, catalog);

    // categories
    const categoryId = new Map(catalog.categories.map((c) => [c.handle, randomUUID()]));
    const siblingPosition = new Map<string, number>();
    const categoryRows = catalog.categories.map((c) => {
      const parentKey = c.parent ?? '';
      const position = siblingPosition.get(parentKey) ?? 0;
      siblingPosition.set(parentKey, position + 1);
      const parentId = c.parent ? (categoryId.get(c.parent) as string) : null;
      return sql`(${categoryId.get(c.handle)}, ${parentId}, ${c.handle}, ${c.name}, ${c.description}, ${position})`;
    });
    await rows(
      tx,
      sql`INSERT INTO categories (id, parent_id, handle, name, description, position) VALUES ${valuesList(categoryRows)}`,
    );

    // products
    const productId = new Map(catalog.products.map((p) => [p.handle, randomUUID()]));
    const productRows = catalog.products.map((p) => {
      const createdAt = new Date(now - p.ageDays * DAY_MS).toISOString();
      const publishedAt = p.status === 'draft' ? null : createdAt;
      return sql`(${productId.get(p.handle)}, ${p.handle}, ${p.title}, ${p.description}, ${p.status},
        ${p.seoTitle}, ${p.seoDescription}, ${publishedAt}::timestamptz, ${createdAt}::timestamptz,
        ${createdAt}::timestamptz)`;
    });
    await rows(
      tx,
      sql`INSERT INTO products (id, handle, title, description, status, seo_title, seo_description,
            published_at, created_at, updated_at)
          VALUES ${valuesList(productRows)}`,
    );

    // options and their values
    const optionRows: SQL[] = [];
    const valueRows: SQL[] = [];
    const valueId = new Map<string, string>(); // `${handle}\0${option}\0${value}` -> id
    for (const p of catalog.products) {
      p.options.forEach((o, position) => {
        const id = randomUUID();
        optionRows.push(sql`(${id}, ${productId.get(p.handle)}, ${o.name}, ${position})`);
        o.values.forEach((value, valuePosition) => {
          const vid = randomUUID();
          valueId.set(`${p.handle}\0${o.name}\0${value}`, vid);
          valueRows.push(sql`(${vid}, ${id}, ${value}, ${valuePosition})`);
        });
      });
    }
    if (optionRows.length > 0) {
      await rows(
        tx,
        sql`INSERT INTO product_options (id, product_id, name, position) VALUES ${valuesList(optionRows)}`,
      );
    }
    if (valueRows.length > 0) {
      await rows(
        tx,
        sql`INSERT INTO product_option_values (id, option_id, value, position) VALUES ${valuesList(valueRows)}`,
      );
    }

    // variants
    const variantId = new Map<string, string>(); // sku -> id
    const variantRows: SQL[] = [];
    const variantValueRows: SQL[] = [];
    for (const p of catalog.products) {
      p.variants.forEach((v, position) => {
        const id = randomUUID();
        variantId.set(v.sku, id);
        const [lengthMm, widthMm, heightMm] = v.dimensionsMm;
        const title =
          p.options.length === 0 ? 'Default' : p.options.map((o) => v.options[o.name]).join(' / ');
        variantRows.push(
          sql`(${id}, ${productId.get(p.handle)}, ${v.sku}, ${title}, ${v.price}, ${DEMO_CURRENCY},
            ${v.compareAt ?? null}, ${v.stock}, ${v.allowBackorder ?? false}, ${v.weightGrams}, ${lengthMm},
            ${widthMm}, ${heightMm}, ${position})`,
        );
        for (const o of p.options) {
          const optionValueId = valueId.get(`${p.handle}\0${o.name}\0${v.options[o.name]}`);
          variantValueRows.push(sql`(${id}, ${optionValueId})`);
        }
      });
    }
    await rows(
      tx,
      sql`INSERT INTO product_variants (id, product_id, sku, title, price_amount, currency, compare_at_amount,
            stock_on_hand, allow_backorder, weight_grams, length_mm, width_mm, height_mm, position)
          VALUES ${valuesList(variantRows)}`,
    );
    if (variantValueRows.length > 0) {
      await rows(
        tx,
        sql`INSERT INTO variant_option_values (variant_id, option_value_id) VALUES ${valuesList(variantValueRows)}`,
      );
    }

    // categories of each product (position 0 = primary)
    const productCategoryRows = catalog.products.flatMap((p) =>
      p.categories.map((c, position) => sql`(${productId.get(p.handle)}, ${categoryId.get(c)}, ${position})`),
    );
    await rows(
      tx,
      sql`INSERT INTO product_categories (product_id, category_id, position) VALUES ${valuesList(productCategoryRows)}`,
    );

    // collections
    const collectionId = catalog.collections.map(() => randomUUID());
    if (catalog.collections.length > 0) {
      const collectionRows = catalog.collections.map(
        (c, position) =>
          sql`(${collectionId[position]}, ${c.handle}, ${c.title}, ${c.description}, ${c.featured}, ${position})`,
      );
      await rows(
        tx,
        sql`INSERT INTO collections (id, handle, title, description, featured, position)
            VALUES ${valuesList(collectionRows)}`,
      );
    }
    const membershipRows = catalog.collections.flatMap((c, i) =>
      c.products.map((handle, position) => sql`(${collectionId[i]}, ${productId.get(handle)}, ${position})`),
    );
    if (membershipRows.length > 0) {
      await rows(
        tx,
        sql`INSERT INTO collection_products (collection_id, product_id, position) VALUES ${valuesList(membershipRows)}`,
      );
    }

    // media: images first (the first is the listing thumbnail), then the 3D model. They go
    // through the same pipeline as a staff upload: staged now, processed by the worker.
    const mediaRows: SQL[] = [];
    const media = (
      product: string,
      variant: string | null,
      kind: 'image' | 'model',
      position: number,
      alt: string,
      attribution: string | null,
      o: PreparedObject,
    ) =>
      sql`(${product}, ${variant}, ${kind}, ${position}, ${alt}, ${attribution}, 'uploaded', ${o.key},
        ${o.filename}, ${o.mimeType})`;
    for (const p of catalog.products) {
      const id = productId.get(p.handle) as string;
      const rendered = images.get(p) ?? [];
      p.images.forEach((image, position) => {
        const variant = image.variantSku ? (variantId.get(image.variantSku) as string) : null;
        mediaRows.push(
          media(id, variant, 'image', position, image.alt, null, rendered[position] as PreparedObject),
        );
      });
      const model = models.get(p);
      if (p.model && model) {
        mediaRows.push(media(id, null, 'model', p.images.length, p.model.alt, p.model.attribution, model));
      }
    }
    const mediaIds =
      mediaRows.length === 0
        ? []
        : await rows<{ id: string }>(
            tx,
            sql`INSERT INTO product_media (product_id, variant_id, kind, position, alt, attribution, status,
                  upload_key, upload_filename, upload_content_type)
                VALUES ${valuesList(mediaRows)}
                RETURNING id`,
          );
    for (const { id } of mediaIds) {
      await rows(tx, enqueueSql(MEDIA_QUEUE, { mediaId: id }, { dedupeKey: mediaJobKey(id) }));
    }

    return {
      seeded: true,
      products: catalog.products.length,
      variants: variantRows.length,
      categories: catalog.categories.length,
      collections: catalog.collections.length,
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
