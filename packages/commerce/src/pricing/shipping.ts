import { PricingError } from './errors.ts';
import type { CurrencyCode } from './money.ts';

/** One weight bracket: carts up to and including `maxWeightGrams` cost `amount`. */
export interface WeightBracket {
  /** Inclusive upper bound in grams; omit for "any weight" (the last, open bracket). */
  maxWeightGrams?: number;
  /** Price in minor units of the method's currency. */
  amount: number;
}

/** The brackets that apply to a set of destination countries. */
export interface ShippingRate {
  /** ISO 3166-1 alpha-2 codes, or `'*'` for every country not matched by another rate. */
  countries: readonly string[] | '*';
  /** Checked lightest first, whatever the order given. */
  brackets: readonly WeightBracket[];
}

export interface ShippingMethod {
  id: string;
  currency: CurrencyCode;
  rates: readonly ShippingRate[];
  /** Shipping is free when the merchandise total after discounts is at least this (minor units). */
  freeOver?: number;
}

export interface ShippingQuote {
  /** What the shopper pays: 0 when free, else the bracket's price. */
  amount: number;
  /** The bracket's price before a free-over threshold. */
  bracketAmount: number;
  free: boolean;
  freeOver?: number;
  weightGrams: number;
}

/**
 * Prices `method` for a destination and a total weight: a rate naming the country wins over
 * `'*'`; within it the lightest bracket that holds the weight. Throws `shipping_unavailable` when
 * no rate covers the country or the cart is heavier than every bracket. `freeOver` is compared with
 * `merchandiseTotal` (subtotal − discounts, in the shop's price basis) and never rescues an
 * unavailable destination.
 */
export function quoteShipping(
  method: ShippingMethod,
  cart: { country: string; weightGrams: number; merchandiseTotal: number },
): ShippingQuote {
  const country = cart.country.toUpperCase();
  const rate =
    method.rates.find((r) => r.countries !== '*' && r.countries.some((c) => c.toUpperCase() === country)) ??
    method.rates.find((r) => r.countries === '*');
  const unavailable = (reason: 'no_rate_for_country' | 'too_heavy') =>
    new PricingError('shipping_unavailable', {
      method: method.id,
      country,
      weightGrams: cart.weightGrams,
      reason,
    });
  if (rate === undefined) throw unavailable('no_rate_for_country');
  const bracket = [...rate.brackets]
    .sort(
      (a, b) =>
        (a.maxWeightGrams ?? Number.POSITIVE_INFINITY) - (b.maxWeightGrams ?? Number.POSITIVE_INFINITY),
    )
    .find((b) => b.maxWeightGrams === undefined || cart.weightGrams <= b.maxWeightGrams);
  if (bracket === undefined) throw unavailable('too_heavy');
  const free = method.freeOver !== undefined && cart.merchandiseTotal >= method.freeOver;
  return {
    amount: free ? 0 : bracket.amount,
    bracketAmount: bracket.amount,
    free,
    ...(method.freeOver === undefined ? {} : { freeOver: method.freeOver }),
    weightGrams: cart.weightGrams,
  };
}
