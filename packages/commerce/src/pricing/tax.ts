import { mulDivRoundHalfEven } from './rounding.ts';

/**
 * Tax rates are integer parts per million: 200_000 is 20%, 88_750 is 8.875% (New York City).
 * Basis points cannot express real rates like 8.875%, so tax uses this finer integer scale.
 */
export const TAX_RATE_SCALE = 1_000_000;

/** One row of the tax table. */
export interface TaxRate {
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** ISO 3166-2 subdivision (`CA`, `ON`, `US-NY` — whatever the destination uses); overrides the country row. */
  region?: string;
  /** Product tax category (`reduced`, `food`, …); omit for the standard rate. */
  category?: string;
  /** Parts per million of the taxed amount. */
  ratePpm: number;
  /** Whether shipping is taxed at this rate (read from the standard — category-less — rate). */
  appliesToShipping?: boolean;
}

export interface Destination {
  country: string;
  region?: string;
}

/**
 * Finds the rate for a destination and category. Precedence, first match wins:
 * category + region, category + country, standard + region, standard + country.
 * A category with no row of its own falls back to the standard rate. No match: untaxed.
 */
export function resolveTaxRate(
  rates: readonly TaxRate[],
  destination: Destination,
  category?: string,
): TaxRate | undefined {
  const country = destination.country.toUpperCase();
  const region = destination.region?.toUpperCase();
  const here = rates.filter((r) => r.country.toUpperCase() === country);
  const find = (cat: string | undefined, inRegion: boolean) =>
    here.find(
      (r) =>
        r.category === cat &&
        (inRegion ? region !== undefined && r.region?.toUpperCase() === region : r.region === undefined),
    );
  const tiers: [string | undefined, boolean][] =
    category === undefined
      ? [
          [undefined, true],
          [undefined, false],
        ]
      : [
          [category, true],
          [category, false],
          [undefined, true],
          [undefined, false],
        ];
  for (const [cat, inRegion] of tiers) {
    const rate = find(cat, inRegion);
    if (rate !== undefined) return rate;
  }
  return undefined;
}

/**
 * Tax on one amount, rounded half-even. Exclusive prices: `round(amount × rate)`, added on top.
 * Inclusive prices: `amount − round(amount / (1 + rate))`, the part of the amount that is tax.
 */
export function taxOn(amount: number, ratePpm: number, pricesIncludeTax: boolean): number {
  if (ratePpm === 0) return 0;
  if (!pricesIncludeTax) return mulDivRoundHalfEven(amount, ratePpm, TAX_RATE_SCALE);
  return amount - mulDivRoundHalfEven(amount, TAX_RATE_SCALE, TAX_RATE_SCALE + ratePpm);
}
