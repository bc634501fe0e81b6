import { describe, expect, it } from 'vitest';
import { type CartLineInput, type PriceCartInput, type Promotion, priceCart } from '../src/pricing/index.ts';
import { at } from './fixtures.ts';

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCart(random: () => number): PriceCartInput {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const currency = pick(['USD', 'JPY', 'KWD', 'EUR']);
  const lines: CartLineInput[] = Array.from({ length: int(0, 7) }, (_, i) => ({
    variantId: `v${i}`,
    unitPrice: { amount: pick([0, 1, 5, 15, int(0, 100), int(0, 1_000_000)]), currency },
    quantity: int(1, 12),
    weightGrams: int(0, 3000),
    ...(random() < 0.3 ? { taxCategory: 'reduced' } : {}),
  }));
  const promotion: Promotion =
    random() < 0.5
      ? { code: 'P', value: { kind: 'percentage', basisPoints: int(0, 10_000) } }
      : { code: 'F', value: { kind: 'fixed', amount: int(0, 2_000_000) }, currency };
  if (random() < 0.3) promotion.minimumSubtotal = int(0, 500_000);
  return {
    currency,
    lines,
    destination: { country: 'XX', region: pick(['A', 'B']) },
    pricesIncludeTax: random() < 0.5,
    ...(random() < 0.9 ? { promotion } : {}),
    taxRates: [
      { country: 'XX', ratePpm: int(0, 300_000), appliesToShipping: random() < 0.5 },
      { country: 'XX', region: 'A', ratePpm: int(0, 300_000), appliesToShipping: random() < 0.5 },
      { country: 'XX', category: 'reduced', ratePpm: int(0, 100_000) },
    ],
    shippingMethod: {
      id: 'm',
      currency,
      ...(random() < 0.5 ? { freeOver: int(0, 1_000_000) } : {}),
      rates: [
        {
          countries: '*',
          brackets: [{ maxWeightGrams: 1000, amount: int(0, 5000) }, { amount: int(0, 20_000) }],
        },
      ],
    },
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('priceCart properties (500 seeded random carts)', () => {
  it('keeps every sum consistent, every amount a non-negative integer, and discounts within subtotals', () => {
    const random = mulberry32(20_260_601);
    for (let n = 0; n < 500; n++) {
      const input = randomCart(random);
      const cart = priceCart(input, at);
      const context = `cart #${n}: ${JSON.stringify(input)}`;
      const amounts = [
        cart.subtotal,
        cart.discountTotal,
        cart.shipping,
        cart.shippingTax,
        cart.taxTotal,
        cart.grandTotal,
        ...cart.lines.flatMap((l) => [l.subtotal, l.discount, l.tax, l.total]),
      ];
      for (const amount of amounts) {
        expect(Number.isSafeInteger(amount) && amount >= 0, context).toBe(true);
      }
      expect(sum(cart.lines.map((l) => l.subtotal)), context).toBe(cart.subtotal);
      expect(sum(cart.lines.map((l) => l.discount)), context).toBe(cart.discountTotal);
      expect(sum(cart.lines.map((l) => l.tax)) + cart.shippingTax, context).toBe(cart.taxTotal);
      expect(cart.discountTotal, context).toBeLessThanOrEqual(cart.subtotal);
      const extraTax = cart.pricesIncludeTax ? 0 : cart.shippingTax;
      expect(sum(cart.lines.map((l) => l.total)) + cart.shipping + extraTax, context).toBe(cart.grandTotal);
      expect(cart.grandTotal, context).toBe(
        cart.subtotal - cart.discountTotal + cart.shipping + (cart.pricesIncludeTax ? 0 : cart.taxTotal),
      );
      for (const l of cart.lines) {
        expect(l.subtotal, context).toBe(l.unitPrice * l.quantity);
        expect(l.discount, context).toBeLessThanOrEqual(l.subtotal);
        // largest remainder: each share is within one minor unit of its exact proportional quota
        const exact = (cart.discountTotal * l.subtotal) / (cart.subtotal || 1);
        expect(Math.abs(l.discount - exact), context).toBeLessThan(1);
        if (cart.pricesIncludeTax) expect(l.tax, context).toBeLessThanOrEqual(l.subtotal - l.discount);
      }
      const applied = cart.adjustments.filter((a) => a.kind === 'promotion' && a.status === 'applied');
      expect(cart.discountTotal, context).toBe(sum(applied.map((a) => ('amount' in a ? a.amount : 0))));
    }
  });
});
