import { type Queryable, rows, sql } from '@e3d/db';
import type { ShippingRate } from '../pricing/shipping.ts';
import type { TaxRate } from '../pricing/tax.ts';

/** The demo shop sells in US dollars, prices shown without tax (a US shop). */
export const DEMO_SHOP_CURRENCY = 'USD';

/** The 27 member states of the European Union. */
export const EU_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

export interface DemoShippingMethod {
  code: string;
  name: string;
  description: string;
  rates: ShippingRate[];
  /** Minor units; the threshold applies to the whole method (the model has one per method). */
  freeOver: number | null;
  minDays: number;
  maxDays: number;
  position: number;
}

const INTERNATIONAL = ['CA', 'GB', ...EU_COUNTRIES];

export const DEMO_SHIPPING_METHODS: readonly DemoShippingMethod[] = [
  {
    code: 'standard',
    name: 'Standard',
    description: 'Tracked delivery in 3–5 business days. Free in the US on orders over $100.',
    rates: [
      {
        countries: ['US'],
        brackets: [
          { maxWeightGrams: 2_000, amount: 500 },
          { maxWeightGrams: 10_000, amount: 900 },
          { amount: 1_900 },
        ],
      },
      { countries: INTERNATIONAL, brackets: [{ maxWeightGrams: 2_000, amount: 1_200 }, { amount: 2_500 }] },
      { countries: '*', brackets: [{ maxWeightGrams: 2_000, amount: 2_000 }, { amount: 4_000 }] },
    ],
    freeOver: 10_000,
    minDays: 3,
    maxDays: 5,
    position: 0,
  },
  {
    code: 'express',
    name: 'Express',
    description: 'Priority courier delivery in 1–2 business days.',
    rates: [
      {
        countries: ['US'],
        brackets: [
          { maxWeightGrams: 2_000, amount: 1_000 },
          { maxWeightGrams: 10_000, amount: 1_800 },
          { amount: 3_800 },
        ],
      },
      { countries: INTERNATIONAL, brackets: [{ maxWeightGrams: 2_000, amount: 2_400 }, { amount: 5_000 }] },
      { countries: '*', brackets: [{ maxWeightGrams: 2_000, amount: 4_000 }, { amount: 8_000 }] },
    ],
    freeOver: null,
    minDays: 1,
    maxDays: 2,
    position: 1,
  },
];

export const DEMO_TAX_RATES: readonly (TaxRate & { name: string })[] = [
  { name: 'California sales tax', country: 'US', region: 'CA', ratePpm: 72_500, appliesToShipping: false },
  { name: 'New York sales tax', country: 'US', region: 'NY', ratePpm: 88_750, appliesToShipping: false },
  { name: 'UK VAT', country: 'GB', ratePpm: 200_000, appliesToShipping: true },
  { name: 'German VAT', country: 'DE', ratePpm: 190_000, appliesToShipping: true },
  { name: 'French VAT', country: 'FR', ratePpm: 200_000, appliesToShipping: false },
];

export interface DemoPromotion {
  code: string;
  description: string;
  kind: 'percentage' | 'fixed';
  basisPoints: number | null;
  amount: number | null;
  currency: string | null;
  minimumSubtotal: number | null;
  expiresAt: string | null;
  usageLimit: number | null;
}

const promotion = (p: Partial<DemoPromotion> & Pick<DemoPromotion, 'code' | 'description' | 'kind'>) => ({
  basisPoints: null,
  amount: null,
  currency: null,
  minimumSubtotal: null,
  expiresAt: null,
  usageLimit: null,
  ...p,
});

export const DEMO_PROMOTIONS: readonly DemoPromotion[] = [
  promotion({ code: 'WELCOME10', description: '10% off your order', kind: 'percentage', basisPoints: 1_000 }),
  promotion({
    code: 'SAVE5',
    description: '$5 off orders of $50 or more',
    kind: 'fixed',
    amount: 500,
    currency: DEMO_SHOP_CURRENCY,
    minimumSubtotal: 5_000,
  }),
  promotion({
    code: 'EXPIRED20',
    description: '20% off (expired: shows the refusal)',
    kind: 'percentage',
    basisPoints: 2_000,
    expiresAt: '2020-01-01T00:00:00Z',
  }),
  promotion({
    code: 'LIMITED1',
    description: '15% off, one use only',
    kind: 'percentage',
    basisPoints: 1_500,
    usageLimit: 1,
  }),
];

export interface SeedDemoCommerceSettingsResult {
  shippingMethods: number;
  taxRates: number;
  promotions: number;
}

/**
 * The demo shop's commerce settings: USD prices without tax, two shipping methods, a few tax
 * rates and promotion codes. Idempotent: rows whose code (or tax scope) exists are left as
 * they are, and so is the settings row (the migration creates it with these same defaults).
 * Returns how many rows it inserted. Run it in a transaction to make it all-or-nothing.
 */
export async function seedDemoCommerceSettings(conn: Queryable): Promise<SeedDemoCommerceSettingsResult> {
  await rows(
    conn,
    sql`INSERT INTO shop_settings (id, currency, prices_include_tax, reservation_minutes)
        VALUES (1, ${DEMO_SHOP_CURRENCY}, false, 15) ON CONFLICT DO NOTHING`,
  );
  let shippingMethods = 0;
  for (const m of DEMO_SHIPPING_METHODS) {
    const inserted = await rows(
      conn,
      sql`INSERT INTO shipping_methods (code, name, description, currency, rates, free_over, min_days, max_days, position)
          VALUES (${m.code}, ${m.name}, ${m.description}, ${DEMO_SHOP_CURRENCY}, ${JSON.stringify(m.rates)}::jsonb,
            ${m.freeOver}, ${m.minDays}, ${m.maxDays}, ${m.position})
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    shippingMethods += inserted.length;
  }
  let taxRates = 0;
  for (const t of DEMO_TAX_RATES) {
    const inserted = await rows(
      conn,
      sql`INSERT INTO tax_rates (name, country, region, category, rate_ppm, applies_to_shipping)
          VALUES (${t.name}, ${t.country}, ${t.region ?? null}, ${t.category ?? null}, ${t.ratePpm},
            ${t.appliesToShipping ?? false})
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    taxRates += inserted.length;
  }
  let promotions = 0;
  for (const p of DEMO_PROMOTIONS) {
    const inserted = await rows(
      conn,
      sql`INSERT INTO promotions (code, description, kind, basis_points, amount, currency, minimum_subtotal,
            expires_at, usage_limit)
          VALUES (${p.code}, ${p.description}, ${p.kind}::promotion_kind, ${p.basisPoints}, ${p.amount},
            ${p.currency}, ${p.minimumSubtotal}, ${p.expiresAt}::timestamptz, ${p.usageLimit})
          ON CONFLICT DO NOTHING RETURNING id`,
    );
    promotions += inserted.length;
  }
  return { shippingMethods, taxRates, promotions };
}
