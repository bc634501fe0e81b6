import type { StorefrontRevalidation } from '@e3d/catalog';
import type {
  AdminCategory,
  AdminCategoryNode,
  categoryCreateSchema,
  categoryUpdateSchema,
} from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql, type Tx } from '@e3d/db';
import type { z } from 'zod';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import type { AuditContext } from '../audit/record.ts';
import { chooseHandle } from './handles.ts';
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

async function readCategory(conn: Queryable, id: string): Promise<AdminCategory | null> {
  const [row] = await rows<{ doc: AdminCategory }>(
    conn,
    sql`SELECT ${categoryJson} AS doc FROM categories c WHERE c.id = ${id}`,
  );
  return row?.doc ?? null;
}

/** Links a product to categories in order (the first is primary); every id must exist. */
export async function setProductCategories(tx: Tx, productId: string, categoryIds: string[]) {
  const ids = JSON.stringify(categoryIds);
  const found = await rows<{ id: string }>(
    tx,
    sql`SELECT id FROM categories WHERE id::text IN (SELECT jsonb_array_elements_text(${ids}::jsonb))`,
  );
  const known = new Set(found.map((r) => r.id));
  const unknown = categoryIds.findIndex((id) => !known.has(id));
  if (unknown >= 0) throw AppError.invalid(`categoryIds.${unknown}`, 'is not a category');
  await rows(tx, sql`DELETE FROM product_categories WHERE product_id = ${productId}`);
  if (categoryIds.length === 0) return;
  await rows(
    tx,
    sql`INSERT INTO product_categories (product_id, category_id, position)
      SELECT ${productId}, x.id::uuid, x.ord - 1 FROM jsonb_array_elements_text(${ids}::jsonb) WITH ORDINALITY AS x(id, ord)`,
  );
}

const TAGS = ['categories', 'products'];

const notFound = (id: string) => AppError.notFound('category_not_found', `No category with id ${id}`);

/** The category tree: parents, moves (never under a descendant), and deletes of leaves only. */
export class CategoryAdminService {
  private readonly categories: AuditedResource<AdminCategory>;

  constructor(
    private readonly db: Database,
    revalidation: StorefrontRevalidation,
  ) {
    this.categories = new AuditedResource({
      table: 'categories',
      entity: 'category',
      read: readCategory,
      notFound,
      transaction: (fn) => catalogTransaction(db, fn),
      // A new category has no page of its own yet; a changed or deleted one has.
      afterWrite: (tx, { kind, before, after }) =>
        revalidation.enqueue(tx, [
          ...TAGS,
          ...(kind === 'create' ? [] : [before, after]).flatMap((c) => (c ? [`category:${c.handle}`] : [])),
        ]),
    });
  }

  async tree(): Promise<AdminCategoryNode[]> {
    const all = await rows<{ doc: AdminCategory }>(
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

  get(id: string): Promise<AdminCategory> {
    return this.categories.get(this.db.orm, id);
  }

  create(ctx: AuditContext, input: CategoryCreate): Promise<AdminCategory> {
    return this.categories.create(ctx, async (tx) => {
      const handle = await chooseHandle(tx, 'categories', input.handle, input.name, 'name');
      if (input.parentId) await this.requireParent(tx, input.parentId);
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO categories (handle, name, description, parent_id, position)
            VALUES (${handle}, ${input.name}, ${input.description}, ${input.parentId},
              coalesce(${input.position ?? null}::int, (SELECT coalesce(max(position) + 1, 0) FROM categories
                WHERE parent_id IS NOT DISTINCT FROM ${input.parentId}::uuid)))
            RETURNING id`,
      );
      return row?.id as string;
    });
  }

  update(ctx: AuditContext, id: string, input: CategoryUpdate): Promise<AdminCategory> {
    return this.categories.update(ctx, id, async (tx, before) => {
      if (input.handle !== undefined && input.handle !== before.handle) {
        const [taken] = await rows(tx, sql`SELECT 1 FROM categories WHERE handle = ${input.handle}`);
        if (taken) throw conflict('handle_taken', 'handle', 'is used by another category');
      }
      if (input.parentId) {
        await this.requireParent(tx, input.parentId);
        // One move at a time, so two crossing moves cannot both pass the check below.
        await rows(tx, sql`SELECT pg_advisory_xact_lock(hashtext('e3d:category-tree'))`);
        // The new parent may not be the category itself or anywhere below it.
        const [cycle] = await rows(
          tx,
          sql`WITH RECURSIVE below AS (
                SELECT id FROM categories WHERE id = ${id}
                UNION SELECT c.id FROM categories c JOIN below b ON c.parent_id = b.id
              ) SELECT 1 FROM below WHERE id = ${input.parentId}`,
        );
        if (cycle) throw AppError.invalid('parentId', 'is this category or one of its descendants');
      }
      await rows(
        tx,
        sql`UPDATE categories SET
          handle = coalesce(${input.handle ?? null}, handle),
          name = coalesce(${input.name ?? null}, name),
          description = coalesce(${input.description ?? null}, description),
          parent_id = CASE WHEN ${input.parentId !== undefined}::boolean THEN ${input.parentId ?? null}::uuid ELSE parent_id END,
          position = coalesce(${input.position ?? null}::int, position)
        WHERE id = ${id}`,
      );
    });
  }

  /** Refused while the category has children: move or delete them first. */
  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.categories.delete(ctx, id, {
      check: async (_tx, before) => {
        if (before.childCount > 0) {
          throw new AppError(
            409,
            'category_has_children',
            `The category has ${before.childCount} subcategories; move or delete them first.`,
          );
        }
      },
    });
  }

  private async requireParent(tx: Tx, parentId: string) {
    const [parent] = await rows(tx, sql`SELECT 1 FROM categories WHERE id = ${parentId}`);
    if (!parent) throw AppError.invalid('parentId', 'is not a category');
  }
}
