import {
  type PromotionCreate,
  type PromotionDoc,
  type PromotionListQuery,
  type PromotionUpdate,
  promotionIssues,
} from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql, type Tx } from '@e3d/db';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import type { AuditContext } from '../audit/record.ts';
import { conflict, firstInvalid, requirePriceableCurrency, settingsTransaction } from './transaction.ts';

const promotionJson = sql`json_build_object(
  'id', p.id,
  'code', p.code,
  'description', p.description,
  'kind', p.kind,
  'basisPoints', p.basis_points,
  'amount', p.amount,
  'currency', p.currency,
  'minimumSubtotal', p.minimum_subtotal,
  'startsAt', ${iso(sql`p.starts_at`)},
  'expiresAt', ${iso(sql`p.expires_at`)},
  'usageLimit', p.usage_limit,
  'usedCount', p.used_count,
  'active', p.active,
  'createdAt', ${iso(sql`p.created_at`)},
  'updatedAt', ${iso(sql`p.updated_at`)})`;

async function readPromotion(conn: Queryable, id: string): Promise<PromotionDoc | null> {
  const [row] = await rows<{ doc: PromotionDoc }>(
    conn,
    sql`SELECT ${promotionJson} AS doc FROM promotions p WHERE p.id = ${id}`,
  );
  return row?.doc ?? null;
}

const notFound = (id: string) => AppError.notFound('promotion_not_found', `No promotion with id ${id}`);

type Terms = Omit<PromotionDoc, 'id' | 'usedCount' | 'createdAt' | 'updatedAt'>;

/** Discount codes; codes are upper case, and a code orders redeemed is deactivated, not deleted. */
export class PromotionService {
  private readonly promotions: AuditedResource<PromotionDoc>;

  constructor(private readonly db: Database) {
    this.promotions = new AuditedResource({
      table: 'promotions',
      entity: 'promotion',
      read: readPromotion,
      notFound,
      transaction: (fn) => settingsTransaction(db, fn),
    });
  }

  /** Ordered by code; `nextCursor` is the last code of the page. */
  async list(query: PromotionListQuery): Promise<{ items: PromotionDoc[]; nextCursor: string | null }> {
    const where = [
      query.q ? sql`position(${query.q.toUpperCase()} in p.code) > 0` : undefined,
      query.active === undefined ? undefined : sql`p.active = ${query.active}`,
      query.cursor ? sql`p.code > ${query.cursor}` : undefined,
    ].filter((c) => c !== undefined);
    const found = await rows<{ doc: PromotionDoc }>(
      this.db.orm,
      sql`SELECT ${promotionJson} AS doc FROM promotions p
          ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
          ORDER BY p.code LIMIT ${query.limit + 1}`,
    );
    const items = found.slice(0, query.limit).map((r) => r.doc);
    const more = found.length > query.limit;
    return { items, nextCursor: more ? (items.at(-1)?.code ?? null) : null };
  }

  get(id: string): Promise<PromotionDoc> {
    return this.promotions.get(this.db.orm, id);
  }

  async create(ctx: AuditContext, input: PromotionCreate): Promise<PromotionDoc> {
    requirePriceableCurrency('currency', input.currency);
    return this.promotions.create(ctx, async (tx) => {
      await this.requireFreeCode(tx, input.code, null);
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO promotions ${this.values(input)} RETURNING id`,
      );
      return row?.id as string;
    });
  }

  async update(ctx: AuditContext, id: string, input: PromotionUpdate): Promise<PromotionDoc> {
    requirePriceableCurrency('currency', input.currency);
    return this.promotions.update(ctx, id, async (tx, before) => {
      const pick = <K extends keyof Terms>(key: K): Terms[K] =>
        input[key] === undefined ? before[key] : (input[key] as Terms[K]);
      const kind = pick('kind');
      const switched = kind !== before.kind;
      const next: Terms = {
        code: pick('code'),
        description: pick('description'),
        kind,
        // Switching kind drops the other kind's value unless the request sets it.
        basisPoints:
          kind === 'fixed' && switched && input.basisPoints === undefined ? null : pick('basisPoints'),
        amount: kind === 'percentage' && switched && input.amount === undefined ? null : pick('amount'),
        currency: pick('currency'),
        minimumSubtotal: pick('minimumSubtotal'),
        startsAt: pick('startsAt'),
        expiresAt: pick('expiresAt'),
        usageLimit: pick('usageLimit'),
        active: pick('active'),
      };
      firstInvalid(promotionIssues(next));
      if (next.code !== before.code) await this.requireFreeCode(tx, next.code, id);
      await rows(
        tx,
        sql`UPDATE promotions SET
          code = ${next.code}, description = ${next.description}, kind = ${next.kind}::promotion_kind,
          basis_points = ${next.basisPoints}::int, amount = ${next.amount}::int, currency = ${next.currency}::text,
          minimum_subtotal = ${next.minimumSubtotal}::int, starts_at = ${next.startsAt}::timestamptz,
          expires_at = ${next.expiresAt}::timestamptz, usage_limit = ${next.usageLimit}::int,
          active = ${next.active}, updated_at = now()
        WHERE id = ${id}`,
      );
    });
  }

  /**
   * Only a promotion no order has used can be deleted; one that has is deactivated instead
   * (`active: false`), so orders keep pointing at what they redeemed.
   */
  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.promotions.delete(ctx, id, {
      check: async (tx, before) => {
        const [used] = await rows(tx, sql`SELECT 1 FROM orders WHERE promotion_id = ${id} LIMIT 1`);
        if (before.usedCount > 0 || used) {
          throw new AppError(
            409,
            'promotion_in_use',
            `Orders have used ${before.code}; deactivate it (active: false) instead of deleting it.`,
          );
        }
      },
    });
  }

  private values(p: PromotionCreate) {
    return sql`(code, description, kind, basis_points, amount, currency, minimum_subtotal, starts_at,
        expires_at, usage_limit, active)
      VALUES (${p.code}, ${p.description}, ${p.kind}::promotion_kind, ${p.basisPoints}::int, ${p.amount}::int,
        ${p.currency}::text, ${p.minimumSubtotal}::int, ${p.startsAt}::timestamptz, ${p.expiresAt}::timestamptz,
        ${p.usageLimit}::int, ${p.active})`;
  }

  private async requireFreeCode(tx: Tx, code: string, except: string | null) {
    const [taken] = await rows(
      tx,
      sql`SELECT 1 FROM promotions WHERE code = ${code} AND id IS DISTINCT FROM ${except}::uuid`,
    );
    if (taken) throw conflict('code_taken', 'code', 'is used by another promotion');
  }
}
