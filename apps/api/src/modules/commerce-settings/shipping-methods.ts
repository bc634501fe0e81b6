import type { ShippingRate } from '@e3d/commerce';
import {
  deliveryDaysIssue,
  type ShippingMethodCreate,
  type ShippingMethodDoc,
  type ShippingMethodUpdate,
} from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql, type Tx } from '@e3d/db';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import type { AuditContext } from '../audit/record.ts';
import { conflict, firstInvalid, requirePriceableCurrency, settingsTransaction } from './transaction.ts';

const methodJson = sql`json_build_object(
  'id', m.id,
  'code', m.code,
  'name', m.name,
  'description', m.description,
  'currency', m.currency,
  'rates', m.rates,
  'freeOver', m.free_over,
  'minDays', m.min_days,
  'maxDays', m.max_days,
  'active', m.active,
  'position', m.position,
  'createdAt', ${iso(sql`m.created_at`)},
  'updatedAt', ${iso(sql`m.updated_at`)})`;

async function readMethod(conn: Queryable, id: string): Promise<ShippingMethodDoc | null> {
  const [row] = await rows<{ doc: ShippingMethodDoc }>(
    conn,
    sql`SELECT ${methodJson} AS doc FROM shipping_methods m WHERE m.id = ${id}`,
  );
  return row?.doc ?? null;
}

const notFound = (id: string) =>
  AppError.notFound('shipping_method_not_found', `No shipping method with id ${id}`);

type RateInput = ShippingMethodCreate['rates'][number];

/**
 * Rates as `quoteShipping` reads them: the open bracket has no `maxWeightGrams` key at all
 * (never null), brackets are stored lightest first.
 */
export function normalizeRates(rates: readonly RateInput[]): ShippingRate[] {
  return rates.map((rate) => ({
    countries: rate.countries === '*' ? '*' : [...rate.countries],
    brackets: [...rate.brackets]
      .sort(
        (a, b) =>
          (a.maxWeightGrams ?? Number.POSITIVE_INFINITY) - (b.maxWeightGrams ?? Number.POSITIVE_INFINITY),
      )
      .map((b) =>
        b.maxWeightGrams == null
          ? { amount: b.amount }
          : { maxWeightGrams: b.maxWeightGrams, amount: b.amount },
      ),
  }));
}

/** Shipping methods: per-destination weight brackets, an optional free-over threshold. */
export class ShippingMethodService {
  private readonly methods: AuditedResource<ShippingMethodDoc>;

  constructor(private readonly db: Database) {
    this.methods = new AuditedResource({
      table: 'shipping_methods',
      entity: 'shipping_method',
      read: readMethod,
      notFound,
      transaction: (fn) => settingsTransaction(db, fn),
    });
  }

  async list(filter: { active?: boolean | undefined }): Promise<ShippingMethodDoc[]> {
    const found = await rows<{ doc: ShippingMethodDoc }>(
      this.db.orm,
      sql`SELECT ${methodJson} AS doc FROM shipping_methods m
          ${filter.active === undefined ? sql`` : sql`WHERE m.active = ${filter.active}`}
          ORDER BY m.position, m.name, m.code`,
    );
    return found.map((r) => r.doc);
  }

  get(id: string): Promise<ShippingMethodDoc> {
    return this.methods.get(this.db.orm, id);
  }

  async create(ctx: AuditContext, input: ShippingMethodCreate): Promise<ShippingMethodDoc> {
    requirePriceableCurrency('currency', input.currency);
    return this.methods.create(ctx, async (tx) => {
      await this.requireFreeCode(tx, input.code, null);
      const [shop] = await rows<{ currency: string }>(
        tx,
        sql`SELECT currency FROM shop_settings WHERE id = 1`,
      );
      const currency = input.currency ?? shop?.currency ?? 'USD';
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO shipping_methods
              (code, name, description, currency, rates, free_over, min_days, max_days, active, position)
            VALUES (${input.code}, ${input.name}, ${input.description}, ${currency},
              ${JSON.stringify(normalizeRates(input.rates))}::jsonb, ${input.freeOver}, ${input.minDays},
              ${input.maxDays}, ${input.active}, ${input.position})
            RETURNING id`,
      );
      return row?.id as string;
    });
  }

  async update(ctx: AuditContext, id: string, input: ShippingMethodUpdate): Promise<ShippingMethodDoc> {
    requirePriceableCurrency('currency', input.currency);
    return this.methods.update(ctx, id, async (tx, before) => {
      const next = {
        code: input.code ?? before.code,
        name: input.name ?? before.name,
        description: input.description ?? before.description,
        currency: input.currency ?? before.currency,
        rates: input.rates ? normalizeRates(input.rates) : before.rates,
        freeOver: input.freeOver === undefined ? before.freeOver : input.freeOver,
        minDays: input.minDays === undefined ? before.minDays : input.minDays,
        maxDays: input.maxDays === undefined ? before.maxDays : input.maxDays,
        active: input.active ?? before.active,
        position: input.position ?? before.position,
      };
      firstInvalid([deliveryDaysIssue(next.minDays, next.maxDays)]);
      if (next.code !== before.code) await this.requireFreeCode(tx, next.code, id);
      await rows(
        tx,
        sql`UPDATE shipping_methods SET
          code = ${next.code}, name = ${next.name}, description = ${next.description},
          currency = ${next.currency}, rates = ${JSON.stringify(next.rates)}::jsonb,
          free_over = ${next.freeOver}, min_days = ${next.minDays}, max_days = ${next.maxDays},
          active = ${next.active}, position = ${next.position}, updated_at = now()
        WHERE id = ${id}`,
      );
    });
  }

  /** Carts that chose it lose the choice; orders keep their copy of it. */
  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.methods.delete(ctx, id);
  }

  private async requireFreeCode(tx: Tx, code: string, except: string | null) {
    const [taken] = await rows(
      tx,
      sql`SELECT 1 FROM shipping_methods WHERE code = ${code} AND id IS DISTINCT FROM ${except}::uuid`,
    );
    if (taken) throw conflict('code_taken', 'code', 'is used by another shipping method');
  }
}
