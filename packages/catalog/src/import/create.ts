import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Database, type ProductMediaRow, type Queryable, rows, sql } from '@e3d/db';
import { enqueueSql } from '@e3d/jobs';
import { MEDIA_QUEUE, mediaJobKey } from '@e3d/media';
import { type ObjectStore, uploadKey } from '@e3d/storage';
import { productTags, type StorefrontRevalidation } from '../storefront/revalidate.ts';
import { readModelFile } from './model-file.ts';
import { type ImportProduct, titleFromName } from './product.ts';

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

/** The category at the end of `categoryPath`, creating the missing ones (placed last among siblings). */
async function ensureCategory(
  tx: Queryable,
  categoryPath: string[],
): Promise<{ id: string; created: number }> {
  let parentId: string | null = null;
  let created = 0;
  for (const handle of categoryPath) {
    const [found] = await rows<{ id: string }>(tx, sql`SELECT id FROM categories WHERE handle = ${handle}`);
    if (found) {
      parentId = found.id;
      continue;
    }
    const [{ next } = { next: 0 }] = await rows<{ next: number }>(
      tx,
      sql`SELECT coalesce(max(position) + 1, 0)::int AS next FROM categories
          WHERE ${parentId ? sql`parent_id = ${parentId}` : sql`parent_id IS NULL`}`,
    );
    const id = randomUUID();
    await rows(
      tx,
      sql`INSERT INTO categories (id, parent_id, handle, name, position)
          VALUES (${id}, ${parentId}, ${handle}, ${titleFromName(handle)}, ${next})`,
    );
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
      const [inserted] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO products (handle, title, description, status, published_at)
            VALUES (${product.handle}, ${product.title}, ${product.description}, ${product.status},
              ${product.status === 'published' ? now.toISOString() : null})
            ON CONFLICT (handle) DO NOTHING
            RETURNING id`,
      );
      if (!inserted) throw new HandleTaken();
      const productId = inserted.id;

      const valueIds = new Map<string, string>(); // `${option}\0${value}` -> id
      for (const [position, option] of product.options.entries()) {
        const [row] = await rows<{ id: string }>(
          tx,
          sql`INSERT INTO product_options (product_id, name, position)
              VALUES (${productId}, ${option.name}, ${position}) RETURNING id`,
        );
        const values = option.values.map((value, i) => sql`(${row?.id as string}, ${value}, ${i})`);
        const created = await rows<{ id: string; value: string }>(
          tx,
          sql`INSERT INTO product_option_values (option_id, value, position)
              VALUES ${sql.join(values, sql`, `)} RETURNING id, value`,
        );
        for (const r of created) valueIds.set(`${option.name}\0${r.value}`, r.id);
      }

      for (const [position, v] of product.variants.entries()) {
        const [row] = await rows<{ id: string }>(
          tx,
          sql`INSERT INTO product_variants (product_id, sku, title, price_amount, currency, compare_at_amount,
                stock_on_hand, position)
              VALUES (${productId}, ${v.sku}, ${v.title}, ${v.priceAmount}, ${v.currency}, ${v.compareAtAmount},
                ${v.stock}, ${position})
              RETURNING id`,
        );
        const links = Object.entries(v.options).map(
          ([name, value]) => sql`(${row?.id as string}, ${valueIds.get(`${name}\0${value}`) as string})`,
        );
        if (links.length > 0) {
          await rows(
            tx,
            sql`INSERT INTO variant_option_values (variant_id, option_value_id) VALUES ${sql.join(links, sql`, `)}`,
          );
        }
      }

      let categoriesCreated = 0;
      for (const [position, categoryPath] of product.categories.entries()) {
        const category = await ensureCategory(tx, categoryPath);
        categoriesCreated += category.created;
        await rows(
          tx,
          sql`INSERT INTO product_categories (product_id, category_id, position)
              VALUES (${productId}, ${category.id}, ${position}) ON CONFLICT DO NOTHING`,
        );
      }

      const media: ImportedMedia[] = [];
      if (staged.length > 0) {
        const values = staged.map((s, position) => {
          const alt = s.kind === 'model' ? `3D model of ${product.title}` : product.title;
          const attribution =
            s.kind === 'model' && product.modelAttribution ? product.modelAttribution : null;
          return sql`(${productId}, ${s.kind}, ${position}, ${alt}, ${attribution}, 'uploaded', ${s.key},
            ${s.filename}, ${s.contentType})`;
        });
        const created = await rows<Pick<ProductMediaRow, 'id'>>(
          tx,
          sql`INSERT INTO product_media (product_id, kind, position, alt, attribution, status, upload_key,
                upload_filename, upload_content_type)
              VALUES ${sql.join(values, sql`, `)}
              RETURNING id`,
        );
        created.forEach((r, i) => {
          const s = staged[i] as Staged;
          media.push({ id: r.id, kind: s.kind, file: s.file });
        });
        for (const { id } of created) {
          await rows(tx, enqueueSql(MEDIA_QUEUE, { mediaId: id }, { dedupeKey: mediaJobKey(id) }));
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
