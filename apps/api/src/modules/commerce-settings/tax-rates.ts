import type { TaxRateCreate, TaxRateDoc, TaxRateUpdate } from '@e3d/contracts';
import type { Database } from '@e3d/db';
import { sql } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { type Executor, iso, rowsOf, type Tx } from '../../sql.ts';
import { type AuditContext, recordAudit } from '../audit/record.ts';
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

async function readTaxRate(conn: Executor, id: string): Promise<TaxRateDoc | null> {
  const [row] = await rowsOf<{ doc: TaxRateDoc }>(
    conn,
    sql`SELECT ${taxRateJson} AS doc FROM tax_rates t WHERE t.id = ${id}`,
  );
  return row?.doc ?? null;
}

const notFound = (id: string) => AppError.notFound('tax_rate_not_found', `No tax rate with id ${id}`);

/** The tax table: one rate per country, region and category; a region row overrides its country's. */
export class TaxRateService {
  constructor(private readonly db: Database) {}

  async list(filter: { country?: string | undefined }): Promise<TaxRateDoc[]> {
    const rows = await rowsOf<{ doc: TaxRateDoc }>(
      this.db.orm,
      sql`SELECT ${taxRateJson} AS doc FROM tax_rates t
          ${filter.country ? sql`WHERE t.country = ${filter.country}` : sql``}
          ORDER BY t.country, t.region NULLS FIRST, t.category NULLS FIRST`,
    );
    return rows.map((r) => r.doc);
  }

  async get(id: string): Promise<TaxRateDoc> {
    const rate = await readTaxRate(this.db.orm, id);
    if (!rate) throw notFound(id);
    return rate;
  }

  async create(ctx: AuditContext, input: TaxRateCreate): Promise<TaxRateDoc> {
    return settingsTransaction(this.db, async (tx) => {
      await this.requireFreeScope(tx, input, null);
      const [row] = await rowsOf<{ id: string }>(
        tx,
        sql`INSERT INTO tax_rates (name, country, region, category, rate_ppm, applies_to_shipping)
            VALUES (${input.name}, ${input.country}, ${input.region}, ${input.category}, ${input.ratePpm},
              ${input.appliesToShipping})
            RETURNING id`,
      );
      const after = (await readTaxRate(tx, row?.id as string)) as TaxRateDoc;
      await recordAudit(tx, {
        ...ctx,
        action: 'tax_rate.create',
        entityType: 'tax_rate',
        entityId: after.id,
        before: null,
        after,
      });
      return after;
    });
  }

  async update(ctx: AuditContext, id: string, input: TaxRateUpdate): Promise<TaxRateDoc> {
    return settingsTransaction(this.db, async (tx) => {
      const before = await this.lock(tx, id);
      const next = {
        name: input.name ?? before.name,
        country: input.country ?? before.country,
        region: input.region === undefined ? before.region : input.region,
        category: input.category === undefined ? before.category : input.category,
        ratePpm: input.ratePpm ?? before.ratePpm,
        appliesToShipping: input.appliesToShipping ?? before.appliesToShipping,
      };
      await this.requireFreeScope(tx, next, id);
      await tx.execute(sql`UPDATE tax_rates SET
          name = ${next.name}, country = ${next.country}, region = ${next.region},
          category = ${next.category}, rate_ppm = ${next.ratePpm},
          applies_to_shipping = ${next.appliesToShipping}, updated_at = now()
        WHERE id = ${id}`);
      const after = (await readTaxRate(tx, id)) as TaxRateDoc;
      await recordAudit(tx, {
        ...ctx,
        action: 'tax_rate.update',
        entityType: 'tax_rate',
        entityId: id,
        before,
        after,
      });
      return after;
    });
  }

  async delete(ctx: AuditContext, id: string): Promise<void> {
    await settingsTransaction(this.db, async (tx) => {
      const before = await this.lock(tx, id);
      await tx.execute(sql`DELETE FROM tax_rates WHERE id = ${id}`);
      await recordAudit(tx, {
        ...ctx,
        action: 'tax_rate.delete',
        entityType: 'tax_rate',
        entityId: id,
        before,
        after: null,
      });
    });
  }

  private async lock(tx: Tx, id: string): Promise<TaxRateDoc> {
    await tx.execute(sql`SELECT 1 FROM tax_rates WHERE id = ${id} FOR UPDATE`);
    const rate = await readTaxRate(tx, id);
    if (!rate) throw notFound(id);
    return rate;
  }

  /** One rate per (country, region, category), as the unique index says. */
  private async requireFreeScope(
    tx: Tx,
    scope: { country: string; region: string | null; category: string | null },
    except: string | null,
  ) {
    const [taken] = await rowsOf(
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
