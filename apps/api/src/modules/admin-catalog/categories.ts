import type {
  AdminCategory,
  AdminCategoryNode,
  categoryCreateSchema,
  categoryUpdateSchema,
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

type CategoryCreate = z.output<typeof categoryCreateSchema>;
type CategoryUpdate = z.output<typeof categoryUpdateSchema>;

const categoryJson = sql`json_build_object(
  'id', c.id,
  'parentId', c.parent_id,
  'handle', c.handle,
  'name', c.name,
  'description', c.description,
  'position', c.position,
  'productCount', (SELECT count(*)::int FROM product_categories pc WHERE pc.category_id = c.id),
  'childCount', (SELECT count(*)::int FROM categories k WHERE k.parent_id = c.id),
  'createdAt', ${iso(sql`c.created_at`)},
  'updatedAt', ${iso(sql`c.updated_at`)})`;

async function readCategory(conn: Executor, id: string): Promise<AdminCategory | null> {
  const [row] = await rowsOf<{ doc: AdminCategory }>(
    conn,
    sql`SELECT ${categoryJson} AS doc FROM categories c WHERE c.id = ${id}`,
  );
  return row?.doc ?? null;
}

/** Links a product to categories in order (the first is primary); every id must exist. */
export async function setProductCategories(tx: Tx, productId: string, categoryIds: string[]) {
  const ids = JSON.stringify(categoryIds);
  const found = await rowsOf<{ id: string }>(
    tx,
    sql`SELECT id FROM categories WHERE id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb))`,
  );
  const known = new Set(found.map((r) => r.id));
  const unknown = categoryIds.findIndex((id) => !known.has(id));
  if (unknown >= 0) throw AppError.invalid(`categoryIds.${unknown}`, 'is not a category');
  await tx.execute(sql`DELETE FROM product_categories WHERE product_id = ${productId}`);
  if (categoryIds.length === 0) return;
  await tx.execute(sql`INSERT INTO product_categories (product_id, category_id, position)
    SELECT ${productId}, x.id::uuid, x.ord - 1 FROM jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY AS x(id, ord)`);
}

const TAGS = ['categories', 'products'];

/** The category tree: parents, moves (never under a descendant), and deletes of leaves only. */
export class CategoryAdminService {
  constructor(
    private readonly db: Database,
    private readonly revalidation: StorefrontRevalidation,
  ) {}

  async tree(): Promise<AdminCategoryNode[]> {
    const all = await rowsOf<{ doc: AdminCategory }>(
      this.db.orm,
      sql`SELECT ${categoryJson} AS doc FROM categories c ORDER BY c.position, c.name`,
    );
    const nodes = new Map<string, AdminCategoryNode>(
      all.map(({ doc: { childCount: _c, createdAt: _a, updatedAt: _u, ...c } }) => [
        c.id,
        { ...c, children: [] },
      ]),
    );
    const roots: AdminCategoryNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  async get(id: string): Promise<AdminCategory> {
    const category = await readCategory(this.db.orm, id);
    if (!category) throw AppError.notFound('category_not_found', `No category with id ${id}`);
    return category;
  }

  async create(ctx: AuditContext, input: CategoryCreate): Promise<AdminCategory> {
    return catalogTransaction(this.db, async (tx) => {
      const handle = await chooseHandle(tx, 'categories', input.handle, input.name, 'name');
      if (input.parentId) await this.requireParent(tx, input.parentId);
      const [row] = await rowsOf<{ id: string }>(
        tx,
        sql`INSERT INTO categories (handle, name, description, parent_id, position)
            VALUES (${handle}, ${input.name}, ${input.description}, ${input.parentId},
              coalesce(${input.position ?? null}::int, (SELECT coalesce(max(position) + 1, 0) FROM categories
                WHERE parent_id IS NOT DISTINCT FROM ${input.parentId}::uuid)))
            RETURNING id`,
      );
      const after = (await readCategory(tx, row?.id as string)) as AdminCategory;
      await recordAudit(tx, {
        ...ctx,
        action: 'category.create',
        entityType: 'category',
        entityId: after.id,
        before: null,
        after,
      });
      await this.revalidation.enqueue(tx, TAGS);
      return after;
    });
  }

  async update(ctx: AuditContext, id: string, input: CategoryUpdate): Promise<AdminCategory> {
    return catalogTransaction(this.db, async (tx) => {
      const before = await this.lock(tx, id);
      if (input.handle !== undefined && input.handle !== before.handle) {
        const [taken] = await rowsOf(tx, sql`SELECT 1 FROM categories WHERE handle = ${input.handle}`);
        if (taken) throw conflict('handle_taken', 'handle', 'is used by another category');
      }
      if (input.parentId) {
        await this.requireParent(tx, input.parentId);
        // One move at a time, so two crossing moves cannot both pass the check below.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('e3d:category-tree'))`);
        // The new parent may not be the category itself or anywhere below it.
        const [cycle] = await rowsOf(
          tx,
          sql`WITH RECURSIVE below AS (
                SELECT id FROM categories WHERE id = ${id}
                UNION SELECT c.id FROM categories c JOIN below b ON c.parent_id = b.id
              ) SELECT 1 FROM below WHERE id = ${input.parentId}`,
        );
        if (cycle) throw AppError.invalid('parentId', 'is this category or one of its descendants');
      }
      await tx.execute(sql`UPDATE categories SET
          handle = coalesce(${input.handle ?? null}, handle),
          name = coalesce(${input.name ?? null}, name),
          description = coalesce(${input.description ?? null}, description),
          parent_id = CASE WHEN ${input.parentId !== undefined}::boolean THEN ${input.parentId ?? null}::uuid ELSE parent_id END,
          position = coalesce(${input.position ?? null}::int, position)
        WHERE id = ${id}`);
      const after = (await readCategory(tx, id)) as AdminCategory;
      await recordAudit(tx, {
        ...ctx,
        action: 'category.update',
        entityType: 'category',
        entityId: id,
        before,
        after,
      });
      await this.revalidation.enqueue(tx, [...TAGS, `category:${before.handle}`, `category:${after.handle}`]);
      return after;
    });
  }

  /** Refused while the category has children: move or delete them first. */
  async delete(ctx: AuditContext, id: string): Promise<void> {
    await catalogTransaction(this.db, async (tx) => {
      const before = await this.lock(tx, id);
      if (before.childCount > 0) {
        throw new AppError(
          409,
          'category_has_children',
          `The category has ${before.childCount} subcategories; move or delete them first.`,
        );
      }
      await tx.execute(sql`DELETE FROM categories WHERE id = ${id}`);
      await recordAudit(tx, {
        ...ctx,
        action: 'category.delete',
        entityType: 'category',
        entityId: id,
        before,
        after: null,
      });
      await this.revalidation.enqueue(tx, [...TAGS, `category:${before.handle}`]);
    });
  }

  private async lock(tx: Tx, id: string): Promise<AdminCategory> {
    await tx.execute(sql`SELECT 1 FROM categories WHERE id = ${id} FOR UPDATE`);
    const category = await readCategory(tx, id);
    if (!category) throw AppError.notFound('category_not_found', `No category with id ${id}`);
    return category;
  }

  private async requireParent(tx: Tx, parentId: string) {
    const [parent] = await rowsOf(tx, sql`SELECT 1 FROM categories WHERE id = ${parentId}`);
    if (!parent) throw AppError.invalid('parentId', 'is not a category');
  }
}
