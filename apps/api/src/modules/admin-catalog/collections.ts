import type {
  AdminCollection,
  AdminCollectionDetail,
  collectionCreateSchema,
  collectionUpdateSchema,
} from '@e3d/contracts';
import type { Database } from '@e3d/db';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import { type Executor, iso, rowsOf, type Tx } from '../../sql.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { chooseHandle } from './handles.ts';
import type { StorefrontRevalidation } from './revalidate.ts';
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

async function readCollection(conn: Executor, id: string): Promise<AdminCollectionDetail | null> {
  const [row] = await rowsOf<{ doc: AdminCollection; products: AdminCollectionDetail['products'] }>(
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

/** Collections and their hand-ordered products. */
export class CollectionAdminService {
  constructor(
    private readonly db: Database,
    private readonly revalidation: StorefrontRevalidation,
  ) {}

  async list(): Promise<AdminCollection[]> {
    const found = await rowsOf<{ doc: AdminCollection }>(
      this.db.orm,
      sql`SELECT ${collectionJson} AS doc FROM collections c ORDER BY c.featured DESC, c.position, c.title`,
    );
    return found.map((r) => r.doc);
  }

  async get(id: string): Promise<AdminCollectionDetail> {
    const collection = await readCollection(this.db.orm, id);
    if (!collection) throw AppError.notFound('collection_not_found', `No collection with id ${id}`);
    return collection;
  }

  async create(ctx: AuditContext, input: CollectionCreate): Promise<AdminCollectionDetail> {
    return catalogTransaction(this.db, async (tx) => {
      const handle = await chooseHandle(tx, 'collections', input.handle, input.title, 'title');
      const [row] = await rowsOf<{ id: string }>(
        tx,
        sql`INSERT INTO collections (handle, title, description, featured, position)
            VALUES (${handle}, ${input.title}, ${input.description}, ${input.featured}, ${input.position})
            RETURNING id`,
      );
      const after = (await readCollection(tx, row?.id as string)) as AdminCollectionDetail;
      await recordAudit(tx, {
        ...ctx,
        action: 'collection.create',
        entityType: 'collection',
        entityId: after.id,
        before: null,
        after,
      });
      await this.revalidation.enqueue(tx, tags(handle));
      return after;
    });
  }

  async update(ctx: AuditContext, id: string, input: CollectionUpdate): Promise<AdminCollectionDetail> {
    return this.write(ctx, id, 'collection.update', async (tx, before) => {
      if (input.handle !== undefined && input.handle !== before.handle) {
        const [taken] = await rowsOf(tx, sql`SELECT 1 FROM collections WHERE handle = ${input.handle}`);
        if (taken) throw conflict('handle_taken', 'handle', 'is used by another collection');
      }
      await tx.execute(sql`UPDATE collections SET
          handle = coalesce(${input.handle ?? null}, handle),
          title = coalesce(${input.title ?? null}, title),
          description = coalesce(${input.description ?? null}, description),
          featured = coalesce(${input.featured ?? null}::boolean, featured),
          position = coalesce(${input.position ?? null}::int, position)
        WHERE id = ${id}`);
    });
  }

  /** Sets the collection's products, in order; every id must be a product. */
  async setProducts(ctx: AuditContext, id: string, productIds: string[]): Promise<AdminCollectionDetail> {
    return this.write(ctx, id, 'collection.products_set', async (tx) => {
      const ids = JSON.stringify(productIds);
      const found = await rowsOf<{ id: string }>(
        tx,
        sql`SELECT id FROM products WHERE id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb))`,
      );
      const known = new Set(found.map((r) => r.id));
      const unknown = productIds.findIndex((p) => !known.has(p));
      if (unknown >= 0) throw AppError.invalid(`productIds.${unknown}`, 'is not a product');
      await tx.execute(sql`DELETE FROM collection_products WHERE collection_id = ${id}`);
      if (productIds.length === 0) return;
      await tx.execute(sql`INSERT INTO collection_products (collection_id, product_id, position)
        SELECT ${id}, x.id::uuid, x.ord - 1 FROM jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY AS x(id, ord)`);
    });
  }

  async delete(ctx: AuditContext, id: string): Promise<void> {
    await catalogTransaction(this.db, async (tx) => {
      const before = await this.lock(tx, id);
      await tx.execute(sql`DELETE FROM collections WHERE id = ${id}`);
      await recordAudit(tx, {
        ...ctx,
        action: 'collection.delete',
        entityType: 'collection',
        entityId: id,
        before,
        after: null,
      });
      await this.revalidation.enqueue(tx, tags(before.handle));
    });
  }

  private write(
    ctx: AuditContext,
    id: string,
    action: string,
    change: (tx: Tx, before: AdminCollectionDetail) => Promise<void>,
  ): Promise<AdminCollectionDetail> {
    return catalogTransaction(this.db, async (tx) => {
      const before = await this.lock(tx, id);
      await change(tx, before);
      const after = (await readCollection(tx, id)) as AdminCollectionDetail;
      await recordAudit(tx, { ...ctx, action, entityType: 'collection', entityId: id, before, after });
      await this.revalidation.enqueue(tx, tags(before.handle, after.handle));
      return after;
    });
  }

  private async lock(tx: Tx, id: string): Promise<AdminCollectionDetail> {
    await tx.execute(sql`SELECT 1 FROM collections WHERE id = ${id} FOR UPDATE`);
    const collection = await readCollection(tx, id);
    if (!collection) throw AppError.notFound('collection_not_found', `No collection with id ${id}`);
    return collection;
  }
}
