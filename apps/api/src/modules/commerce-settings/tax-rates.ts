import type { TaxRateCreate, TaxRateDoc, TaxRateUpdate } from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql, type Tx } from '@e3d/db';
import { AuditedResource } from '../../audited-resource.ts';
import { AppError } from '../../errors.ts';
import type { AuditContext } from '../audit/record.ts';
import { conflict, settingsTransaction } from './transaction.ts';

const taxRateJson = sql`json_build_object(
  'id', t.id,
  'name', t.name,
  'country', t.country,
  'region', t.region,
  'category', t.category,
  'ratePpm', t.rate_ppm,
  'appliesToShipping', t.applies_to_shipping,
  'createdAt', ${iso(sql`t.created_at`)},
  'updatedAt', ${iso(sql`t.updated_at`)})`;

async function readTaxRate(conn: Queryable, id: string): Promise<TaxRateDoc | null> {
  const [row] = await rows<{ doc: TaxRateDoc }>(
    conn,
    sql`SELECT ${taxRateJson} AS doc FROM tax_rates t WHERE t.id = ${id}`,
  );
  return row?.doc ?? null;
}

const notFound = (id: string) => AppError.notFound('tax_rate_not_found', `No tax rate with id ${id}`);

/** The tax table: one rate per country, region and category; a region row overrides its country's. */
export class TaxRateService {
  private readonly rates: AuditedResource<TaxRateDoc>;

  constructor(private readonly db: Database) {
    this.rates = new AuditedResource({
      table: 'tax_rates',
      entity: 'tax_rate',
      read: readTaxRate,
      notFound,
      transaction: (fn) => settingsTransaction(db, fn),
    });
  }

  async list(filter: { country?: string | undefined }): Promise<TaxRateDoc[]> {
    const found = await rows<{ doc: TaxRateDoc }>(
      this.db.orm,
      sql`SELECT ${taxRateJson} AS doc FROM tax_rates t
          ${filter.country ? sql`WHERE t.country = ${filter.country}` : sql``}
          ORDER BY t.country, t.region NULLS FIRST, t.category NULLS FIRST`,
    );
    return found.map((r) => r.doc);
  }

  get(id: string): Promise<TaxRateDoc> {
    return this.rates.get(this.db.orm, id);
  }

  async create(ctx: AuditContext, input: TaxRateCreate): Promise<TaxRateDoc> {
    return this.rates.create(ctx, async (tx) => {
      await this.requireFreeScope(tx, input, null);
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO tax_rates (name, country, region, category, rate_ppm, applies_to_shipping)
            VALUES (${input.name}, ${input.country}, ${input.region}, ${input.category}, ${input.ratePpm},
              ${input.appliesToShipping})
            RETURNING id`,
      );
      return row?.id as string;
    });
  }

  async update(ctx: AuditContext, id: string, input: TaxRateUpdate): Promise<TaxRateDoc> {
    return this.rates.update(ctx, id, async (tx, before) => {
      const next = {
        name: input.name ?? before.name,
        country: input.country ?? before.country,
        region: input.region === undefined ? before.region : input.region,
        category: input.category === undefined ? before.category : input.category,
        ratePpm: input.ratePpm ?? before.ratePpm,
        appliesToShipping: input.appliesToShipping ?? before.appliesToShipping,
      };
      await this.requireFreeScope(tx, next, id);
      await rows(
        tx,
        sql`UPDATE tax_rates SET
          name = ${next.name}, country = ${next.country}, region = ${next.region},
          category = ${next.category}, rate_ppm = ${next.ratePpm},
          applies_to_shipping = ${next.appliesToShipping}, updated_at = now()
        WHERE id = ${id}`,
      );
    });
  }

  async delete(ctx: AuditContext, id: string): Promise<void> {
    await this.rates.delete(ctx, id);
  }

  /** One rate per (country, region, category), as the unique index says. */
  private async requireFreeScope(
    tx: Tx,
    scope: { country: string; region: string | null; category: string | null },
    except: string | null,
  ) {
    const [taken] = await rows(
      tx,
      sql`SELECT 1 FROM tax_rates
          WHERE country = ${scope.country}
            AND coalesce(region, '') = coalesce(${scope.region}::text, '')
            AND coalesce(category, '') = coalesce(${scope.category}::text, '')
            AND id IS DISTINCT FROM ${except}::uuid`,
    );
    if (taken)
      throw conflict('tax_rate_exists', 'country', 'already has a rate for this region and category');
  }
}
