import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Database, schema } from '@e3d/db';
import { enqueueSql } from '@e3d/jobs';
import { MEDIA_QUEUE, mediaJobKey } from '@e3d/media';
import { type ObjectStore, uploadKey } from '@e3d/storage';
import { eq, isNull, sql } from 'drizzle-orm';
import { productTags, type StorefrontRevalidation } from '../storefront/revalidate.ts';
import { readModelFile } from './model-file.ts';
import { type ImportProduct, titleFromName } from './product.ts';

const {
  categories,
  productCategories,
  productMedia,
  productOptions,
  productOptionValues,
  products,
  productVariants,
  variantOptionValues,
} = schema;

/** One media row made from a source file. */
export interface ImportedMedia {
  id: string;
  kind: 'image' | 'model';
  /** The source file (absolute path). */
  file: string;
}

export type CreateOutcome =
  | { status: 'created'; productId: string; media: ImportedMedia[]; categoriesCreated: number }
  | { status: 'skipped'; reason: string };

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.zip': 'application/zip',
};

interface Staged {
  key: string;
  filename: string;
  contentType: string;
  kind: 'image' | 'model';
  file: string;
}

/** Puts the product's files in the store's staging area, exactly as staff uploads arrive. */
async function stageFiles(store: ObjectStore, product: ImportProduct, staged: Staged[]): Promise<void> {
  for (const image of product.images) {
    const filename = path.basename(image.path);
    const key = uploadKey(filename);
    const contentType = CONTENT_TYPES[path.extname(filename).toLowerCase()] ?? 'application/octet-stream';
    await store.put(key, new Uint8Array(await readFile(image.path)), { contentType });
    staged.push({
      key,
      filename: key.slice(key.lastIndexOf('/') + 1),
      contentType,
      kind: 'image',
      file: image.path,
    });
  }
  if (product.model) {
    const model = await readModelFile(product.model.path);
    const key = uploadKey(model.filename);
    const contentType =
      CONTENT_TYPES[path.extname(model.filename).toLowerCase()] ?? 'application/octet-stream';
    await store.put(key, model.bytes, { contentType });
    staged.push({
      key,
      filename: key.slice(key.lastIndexOf('/') + 1),
      contentType,
      kind: 'model',
      file: product.model.path,
    });
  }
}

class HandleTaken extends Error {}

type Tx = Parameters<Parameters<Database['orm']['transaction']>[0]>[0];

/** The category at the end of `categoryPath`, creating the missing ones (placed last among siblings). */
async function ensureCategory(tx: Tx, categoryPath: string[]): Promise<{ id: string; created: number }> {
  let parentId: string | null = null;
  let created = 0;
  for (const handle of categoryPath) {
    const [found] = await tx
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.handle, handle));
    if (found) {
      parentId = found.id;
      continue;
    }
    const [{ next } = { next: 0 }] = await tx
      .select({ next: sql<number>`coalesce(max(${categories.position}) + 1, 0)::int` })
      .from(categories)
      .where(parentId ? eq(categories.parentId, parentId) : isNull(categories.parentId));
    const id = randomUUID();
    await tx.insert(categories).values({ id, parentId, handle, name: titleFromName(handle), position: next });
    parentId = id;
    created++;
  }
  return { id: parentId as string, created };
}

/**
 * Creates one product with its options, variants, category links (creating missing
 * categories) and media, in one transaction. Its files are staged in the store first; the media
 * rows wait as `uploaded` with one processing job each, enqueued in the same transaction, so
 * the media pipeline (worker or processPendingMedia) finishes them. A published product queues
 * the storefront's revalidation in the same transaction, so it is on the listings as soon as it
 * commits (and again on its page as each media is ready). A handle that exists by the time of
 * writing is `skipped`, never overwritten. On any failure nothing of the product stays: the
 * transaction rolls back and the staged files are deleted.
 */
export async function createImportedProduct(
  db: Database,
  store: ObjectStore,
  product: ImportProduct,
  options: { now?: Date; revalidation?: StorefrontRevalidation | undefined } = {},
): Promise<CreateOutcome> {
  const now = options.now ?? new Date();
  const staged: Staged[] = [];
  try {
    await stageFiles(store, product, staged);
    return await db.orm.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(products)
        .values({
          handle: product.handle,
          title: product.title,
          description: product.description,
          status: product.status,
          publishedAt: product.status === 'published' ? now : null,
        })
        .onConflictDoNothing({ target: products.handle })
        .returning({ id: products.id });
      if (!inserted) throw new HandleTaken();
      const productId = inserted.id;

      const valueIds = new Map<string, string>(); // `${option}\0${value}` -> id
      for (const [position, option] of product.options.entries()) {
        const [row] = await tx
          .insert(productOptions)
          .values({ productId, name: option.name, position })
          .returning({ id: productOptions.id });
        const rows = await tx
          .insert(productOptionValues)
          .values(option.values.map((value, i) => ({ optionId: row?.id as string, value, position: i })))
          .returning({ id: productOptionValues.id, value: productOptionValues.value });
        for (const r of rows) valueIds.set(`${option.name}\0${r.value}`, r.id);
      }

      for (const [position, v] of product.variants.entries()) {
        const [row] = await tx
          .insert(productVariants)
          .values({
            productId,
            sku: v.sku,
            title: v.title,
            priceAmount: v.priceAmount,
            currency: v.currency,
            compareAtAmount: v.compareAtAmount,
            stockOnHand: v.stock,
            position,
          })
          .returning({ id: productVariants.id });
        const links = Object.entries(v.options).map(([name, value]) => ({
          variantId: row?.id as string,
          optionValueId: valueIds.get(`${name}\0${value}`) as string,
        }));
        if (links.length > 0) await tx.insert(variantOptionValues).values(links);
      }

      let categoriesCreated = 0;
      for (const [position, categoryPath] of product.categories.entries()) {
        const category = await ensureCategory(tx, categoryPath);
        categoriesCreated += category.created;
        await tx
          .insert(productCategories)
          .values({ productId, categoryId: category.id, position })
          .onConflictDoNothing();
      }

      const media: ImportedMedia[] = [];
      if (staged.length > 0) {
        const rows = await tx
          .insert(productMedia)
          .values(
            staged.map((s, position) => ({
              productId,
              kind: s.kind,
              position,
              alt: s.kind === 'model' ? `3D model of ${product.title}` : product.title,
              ...(s.kind === 'model' &&
                product.modelAttribution && { attribution: product.modelAttribution }),
              status: 'uploaded' as const,
              uploadKey: s.key,
              uploadFilename: s.filename,
              uploadContentType: s.contentType,
            })),
          )
          .returning({ id: productMedia.id });
        rows.forEach((r, i) => {
          const s = staged[i] as Staged;
          media.push({ id: r.id, kind: s.kind, file: s.file });
        });
        for (const { id } of rows) {
          await tx.execute(enqueueSql(MEDIA_QUEUE, { mediaId: id }, { dedupeKey: mediaJobKey(id) }));
        }
      }
      if (product.status === 'published')
        await options.revalidation?.enqueue(tx, productTags(product.handle));
      return { status: 'created' as const, productId, media, categoriesCreated };
    });
  } catch (error) {
    await Promise.all(staged.map((s) => store.delete(s.key).catch(() => {})));
    if (error instanceof HandleTaken) {
      return { status: 'skipped', reason: `a product with handle ${product.handle} exists` };
    }
    throw error;
  }
}
