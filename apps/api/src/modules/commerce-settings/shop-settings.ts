import type { ShopSettings, ShopSettingsUpdate } from '@e3d/contracts';
import { type Database, iso, type Queryable, rows, sql } from '@e3d/db';
import { type AuditContext, recordAudit } from '../audit/record.ts';
import { requirePriceableCurrency, settingsTransaction } from './transaction.ts';

const settingsJson = sql`json_build_object(
  'currency', s.currency,
  'pricesIncludeTax', s.prices_include_tax,
  'reservationMinutes', s.reservation_minutes,
  'updatedAt', ${iso(sql`s.updated_at`)})`;

/** The row the migration inserts; read as these defaults should it ever be missing. */
const DEFAULTS: Omit<ShopSettings, 'updatedAt'> = {
  currency: 'USD',
  pricesIncludeTax: false,
  reservationMinutes: 15,
};

async function readSettings(conn: Queryable, lock = false): Promise<ShopSettings | null> {
  const [row] = await rows<{ doc: ShopSettings }>(
    conn,
    sql`SELECT ${settingsJson} AS doc FROM shop_settings s WHERE s.id = 1 ${lock ? sql`FOR UPDATE` : sql``}`,
  );
  return row?.doc ?? null;
}

/** The shop's money settings: one row. */
export class ShopSettingsService {
  constructor(private readonly db: Database) {}

  async get(): Promise<ShopSettings> {
    return (await readSettings(this.db.orm)) ?? { ...DEFAULTS, updatedAt: new Date(0).toISOString() };
  }

  async update(ctx: AuditContext, input: ShopSettingsUpdate): Promise<ShopSettings> {
    requirePriceableCurrency('currency', input.currency);
    return settingsTransaction(this.db, async (tx) => {
      const before = await readSettings(tx, true);
      await rows(
        tx,
        sql`INSERT INTO shop_settings (id, currency, prices_include_tax, reservation_minutes)
          VALUES (1, ${input.currency}, ${input.pricesIncludeTax}, ${input.reservationMinutes})
          ON CONFLICT (id) DO UPDATE SET
            currency = excluded.currency,
            prices_include_tax = excluded.prices_include_tax,
            reservation_minutes = excluded.reservation_minutes,
            updated_at = now()`,
      );
      const after = (await readSettings(tx)) as ShopSettings;
      await recordAudit(tx, {
        ...ctx,
        action: 'shop_settings.update',
        entityType: 'shop_settings',
        entityId: null,
        before,
        after,
      });
      return after;
    });
  }
}
