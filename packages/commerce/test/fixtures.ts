import type { CartLineInput, PriceCartInput, ShippingMethod } from '../src/pricing/index.ts';

export const NOW = new Date('2026-06-01T12:00:00Z');
export const at = { now: () => NOW };

export const line = (
  variantId: string,
  amount: number,
  quantity = 1,
  extra: Partial<CartLineInput> = {},
  currency = 'USD',
): CartLineInput => ({
  variantId,
  unitPrice: { amount, currency },
  quantity,
  weightGrams: 100,
  ...extra,
});

export const usCart = (lines: CartLineInput[], extra: Partial<PriceCartInput> = {}): PriceCartInput => ({
  currency: 'USD',
  lines,
  destination: { country: 'US', region: 'NY' },
  pricesIncludeTax: false,
  ...extra,
});

/** US: ≤500 g $5, ≤2 kg $9; rest of the world: ≤1 kg $25. Free over $50. */
export const GROUND: ShippingMethod = {
  id: 'ground',
  currency: 'USD',
  freeOver: 5000,
  rates: [
    {
      countries: ['US'],
      brackets: [
        { maxWeightGrams: 2000, amount: 900 },
        { maxWeightGrams: 500, amount: 500 },
      ],
    },
    { countries: '*', brackets: [{ maxWeightGrams: 1000, amount: 2500 }] },
  ],
};
