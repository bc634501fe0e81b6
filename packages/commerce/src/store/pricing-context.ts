import {
  type PromotionRow,
  type Queryable,
  rows,
  type ShippingMethodRow,
  type ShopSettingsRow,
  sql,
  type TaxRateRow,
} from '@e3d/db';
import type { Promotion } from '../pricing/promotion.ts';
import type { ShippingMethod, ShippingRate } from '../pricing/shipping.ts';
import type { TaxRate } from '../pricing/tax.ts';

export interface ShopSettings {
  currency: string;
  pricesIncludeTax: boolean;
  reservationMinutes: number;
}

export interface StoredShippingMethod {
  id: string;
  code: string;
  name: string;
  description: string;
  minDays: number | null;
  maxDays: number | null;
  active: boolean;
  method: ShippingMethod;
}

export interface StoredPromotion {
  id: string;
  active: boolean;
  promotion: Promotion;
}

export async function loadShopSettings(conn: Queryable): Promise<ShopSettings> {
  const [row] = await rows<Pick<ShopSettingsRow, 'currency' | 'prices_include_tax' | 'reservation_minutes'>>(
    conn,
    sql`SELECT currency, prices_include_tax, reservation_minutes FROM shop_settings WHERE id = 1`,
  );
  return {
    currency: row?.currency ?? 'USD',
    pricesIncludeTax: row?.prices_include_tax ?? false,
    reservationMinutes: row?.reservation_minutes ?? 15,
  };
}

export async function loadTaxRates(conn: Queryable): Promise<TaxRate[]> {
  const rates = await rows<
    Pick<TaxRateRow, 'country' | 'region' | 'category' | 'rate_ppm' | 'applies_to_shipping'>
  >(conn, sql`SELECT country, region, category, rate_ppm, applies_to_shipping FROM tax_rates`);
  return rates.map((r) => ({
    country: r.country,
    ratePpm: r.rate_ppm,
    appliesToShipping: r.applies_to_shipping,
    ...(r.region ? { region: r.region } : {}),
    ...(r.category ? { category: r.category } : {}),
  }));
}

type ShippingRow = Pick<
  ShippingMethodRow,
  'id' | 'code' | 'name' | 'description' | 'currency' | 'free_over' | 'min_days' | 'max_days' | 'active'
> & { rates: ShippingRate[] };

const SHIPPING_COLUMNS = sql`id, code, name, description, currency, rates, free_over, min_days, max_days, active`;

function toShippingMethod(r: ShippingRow): StoredShippingMethod {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    description: r.description,
    minDays: r.min_days,
    maxDays: r.max_days,
    active: r.active,
    method: {
      id: r.code,
      currency: r.currency,
      rates: r.rates,
      ...(r.free_over !== null ? { freeOver: r.free_over } : {}),
    },
  };
}

export async function loadShippingMethod(conn: Queryable, id: string): Promise<StoredShippingMethod | null> {
  const [row] = await rows<ShippingRow>(
    conn,
    sql`SELECT ${SHIPPING_COLUMNS} FROM shipping_methods WHERE id = ${id}`,
  );
  return row ? toShippingMethod(row) : null;
}

export async function listActiveShippingMethods(conn: Queryable): Promise<StoredShippingMethod[]> {
  const methods = await rows<ShippingRow>(
    conn,
    sql`SELECT ${SHIPPING_COLUMNS} FROM shipping_methods WHERE active ORDER BY position, name, id`,
  );
  return methods.map(toShippingMethod);
}

/** Finds a promotion by the code the shopper typed (any case). `forUpdate` locks it to redeem. */
export async function loadPromotion(
  conn: Queryable,
  code: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPromotion | null> {
  const [r] = await rows<
    Pick<
      PromotionRow,
      | 'id'
      | 'code'
      | 'kind'
      | 'basis_points'
      | 'amount'
      | 'currency'
      | 'minimum_subtotal'
      | 'starts_at'
      | 'expires_at'
      | 'usage_limit'
      | 'used_count'
      | 'active'
    >
  >(
    conn,
    sql`SELECT id, code, kind, basis_points, amount, currency, minimum_subtotal, starts_at, expires_at,
          usage_limit, used_count, active
        FROM promotions WHERE code = upper(${code.trim()})${options.forUpdate ? sql` FOR UPDATE` : sql``}`,
  );
  if (!r) return null;
  const promotion: Promotion = {
    code: r.code,
    value:
      r.kind === 'percentage'
        ? { kind: 'percentage', basisPoints: r.basis_points ?? 0 }
        : { kind: 'fixed', amount: r.amount ?? 0 },
    usedCount: r.used_count,
    ...(r.currency ? { currency: r.currency } : {}),
    ...(r.minimum_subtotal !== null ? { minimumSubtotal: r.minimum_subtotal } : {}),
    ...(r.starts_at !== null ? { startsAt: new Date(r.starts_at) } : {}),
    ...(r.expires_at !== null ? { expiresAt: new Date(r.expires_at) } : {}),
    ...(r.usage_limit !== null ? { usageLimit: r.usage_limit } : {}),
  };
  return { id: r.id, active: r.active, promotion };
}
