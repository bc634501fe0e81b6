import type { StorefrontRevalidation } from '@e3d/catalog';
import type {
  AdminCollection,
  AdminCollectionDetail,
  collectionCreateSchema,
  collectionUpdateSchema,
} from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql } from '@e3d/db';
import type { z } from 'zod';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import type { AuditContext } from '../audit/record.ts';
import { chooseHandle } from './handles.ts';
import { catalogTransaction, conflict } from './transaction.ts';

type CollectionCreate = z.output<typeof collectionCreateSchema>;
type CollectionUpdate = z.output<typeof collectionUpdateSchema>;

const collectionJson = sql`json_build_object(
  'id', c.id,
  'handle', c.handle,
  'title', c.title,
  'description', c.description,
  'featured', c.featured,
  'position', c.position,
  'productCount', (SELECT count(*)::int FROM collection_products cp WHERE cp.collection_id = c.id),
  'createdAt', ${iso(sql`c.created_at`)},
  'updatedAt', ${iso(sql`c.updated_at`)})`;

async function readCollection(conn: Queryable, id: string): Promise<AdminCollectionDetail | null> {
  const [row] = await rows<{ doc: AdminCollection; products: AdminCollectionDetail['products'] }>(
    conn,
    sql`SELECT ${collectionJson} AS doc, coalesce((
          SELECT json_agg(json_build_object('id', p.id, 'handle', p.handle, 'title', p.title, 'status', p.status)
            ORDER BY cp.position, p.title)
          FROM collection_products cp JOIN products p ON p.id = cp.product_id WHERE cp.collection_id = c.id), '[]') AS products
        FROM collections c WHERE c.id = ${id}`,
  );
  return row ? { ...row.doc, products: row.products } : null;
}

const tags = (...handles: string[]) => ['collections', 'products', ...handles.map((h) => `collection:${h}`)];

const notFound = (id: string) => AppError.notFound('collection_not_found', `No collection with id ${id}`);

/** Collections and their hand-ordered products. */
export class CollectionAdminService {
  private readonly collections: AuditedResource<AdminCollectionDetail>;

  constructor(
    private readonly db: Database,
    revalidation: StorefrontRevalidation,
  ) {
    this.collections = new AuditedResource({
      table: 'collections',
      entity: 'collection',
      read: readCollection,
      notFound,
      transaction: (fn) => catalogTransaction(db, fn),
      afterWrite: (tx, { before, after }) =>
        revalidation.enqueue(tx, tags(...[before, after].flatMap((c) => (c ? [c.handle] : [])))),
    });
  }

  async list(): Promise<AdminCollection[]> {
    const found = await rows<{ doc: AdminCollection }>(
      this.db.orm,
      sql`SELECT ${collectionJson} AS doc FROM collections c ORDER BY c.featured DESC, c.position, c.title`,
    );
    return found.map((r) => r.doc);
  }

  get(id: string): Promise<AdminCollectionDetail> {
    return this.collections.get(this.db.orm, id);
  }

  create(ctx: AuditContext, input: CollectionCreate): Promise<AdminCollectionDetail> {
    return this.collections.create(ctx, async (tx) => {
      const handle = await chooseHandle(tx, 'collections', input.handle, input.title, 'title');
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO collections (handle, title, description, featured, position)
            VALUES (${handle}, ${input.title}, ${input.description}, ${input.featured}, ${input.position})
            RETURNING id`,
      );
      return row?.id as string;
    });
  }

  update(ctx: AuditContext, id: string, input: CollectionUpdate): Promise<AdminCollectionDetail> {
    return this.collections.update(ctx, id, async (tx, before) => {
      if (input.handle !== undefined && input.handle !== before.handle) {
        const [taken] = await rows(tx, sql`SELECT 1 FROM collections WHERE handle = ${input.handle}`);
        if (taken) throw conflict('handle_taken', 'handle', 'is used by another collection');
      }
      await rows(
        tx,
        sql`UPDATE collections SET
          handle = coalesce(${input.handle ?? null}, handle),
          title = coalesce(${input.title ?? null}, title),
          description = coalesce(${input.description ?? null}, description),
          featured = coalesce(${input.featured ?? null}::boolean, featured),
          position = coalesce(${input.position ?? null}::int, position)
        WHERE id = ${id}`,
      );
    });
  }

  /** Sets the collection's products, in order; every id must be a product. */
  setProducts(ctx: AuditContext, id: string, productIds: string[]): Promise<AdminCollectionDetail> {
    return this.collections.update(
      ctx,
      id,
      async (tx) => {
        const ids = JSON.stringify(productIds);
        const found = await rows<{ id: string }>(
          tx,
          sql`SELECT id FROM products WHERE id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb))`,
        );
        const known = new Set(found.map((r) => r.id));
        const unknown = productIds.findIndex((p) => !known.has(p));
        if (unknown >= 0) throw AppError.invalid(`productIds.${unknown}`, 'is not a product');
        await rows(tx, sql`DELETE FROM collection_products WHERE collection_id = ${id}`);
        if (productIds.length === 0) return;
        await rows(
          tx,
          sql`INSERT INTO collection_products (collection_id, product_id, position)
            SELECT ${id}, x.id::uuid, x.ord - 1 FROM jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY AS x(id, ord)`,
        );
      },
      { action: 'collection.products_set' },
    );
  }

  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.collections.delete(ctx, id);
  }
}
