import type { Connection } from '@e3d/db';
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

export async function loadShopSettings(conn: Connection): Promise<ShopSettings> {
  const [row] = await conn.query<{
    currency: string;
    prices_include_tax: boolean;
    reservation_minutes: number;
  }>('SELECT currency, prices_include_tax, reservation_minutes FROM shop_settings WHERE id = 1');
  return {
    currency: row?.currency ?? 'USD',
    pricesIncludeTax: row?.prices_include_tax ?? false,
    reservationMinutes: row?.reservation_minutes ?? 15,
  };
}

export async function loadTaxRates(conn: Connection): Promise<TaxRate[]> {
  const rows = await conn.query<{
    country: string;
    region: string | null;
    category: string | null;
    rate_ppm: number;
    applies_to_shipping: boolean;
  }>('SELECT country, region, category, rate_ppm, applies_to_shipping FROM tax_rates');
  return rows.map((r) => ({
    country: r.country,
    ratePpm: r.rate_ppm,
    appliesToShipping: r.applies_to_shipping,
    ...(r.region ? { region: r.region } : {}),
    ...(r.category ? { category: r.category } : {}),
  }));
}

interface ShippingRow {
  id: string;
  code: string;
  name: string;
  description: string;
  currency: string;
  rates: ShippingRate[];
  free_over: number | null;
  min_days: number | null;
  max_days: number | null;
  active: boolean;
}

const SHIPPING_COLUMNS =
  'id, code, name, description, currency, rates, free_over, min_days, max_days, active';

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

export async function loadShippingMethod(conn: Connection, id: string): Promise<StoredShippingMethod | null> {
  const [row] = await conn.query<ShippingRow>(
    `SELECT ${SHIPPING_COLUMNS} FROM shipping_methods WHERE id = $1`,
    [id],
  );
  return row ? toShippingMethod(row) : null;
}

export async function listActiveShippingMethods(conn: Connection): Promise<StoredShippingMethod[]> {
  const rows = await conn.query<ShippingRow>(
    `SELECT ${SHIPPING_COLUMNS} FROM shipping_methods WHERE active ORDER BY position, name, id`,
  );
  return rows.map(toShippingMethod);
}

/** Finds a promotion by the code the shopper typed (any case). `forUpdate` locks it to redeem. */
export async function loadPromotion(
  conn: Connection,
  code: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredPromotion | null> {
  const [r] = await conn.query<{
    id: string;
    code: string;
    kind: 'percentage' | 'fixed';
    basis_points: number | null;
    amount: number | null;
    currency: string | null;
    minimum_subtotal: number | null;
    starts_at: Date | string | null;
    expires_at: Date | string | null;
    usage_limit: number | null;
    used_count: number;
    active: boolean;
  }>(
    `SELECT id, code, kind, basis_points, amount, currency, minimum_subtotal, starts_at, expires_at,
       usage_limit, used_count, active
     FROM promotions WHERE code = upper($1)${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [code.trim()],
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
