import { describe, expect, it } from 'vitest';
import { PricingError, priceCart, type TaxRate } from '../src/pricing/index.ts';
import { at, line, usCart } from './fixtures.ts';

describe('priceCart: lines and discounts', () => {
  it('prices lines as unitPrice × quantity with no promotion, tax or shipping', () => {
    const cart = priceCart(usCart([line('a', 1999, 3), line('b', 1)]), at);
    expect(cart.lines.map((l) => l.subtotal)).toEqual([5997, 1]);
    expect(cart).toMatchObject({
      subtotal: 5998,
      discountTotal: 0,
      shipping: 0,
      taxTotal: 0,
      grandTotal: 5998,
    });
    expect(cart.weightGrams).toBe(400);
  });

  it('splits a 10.01 discount over three lines so it sums exactly', () => {
    const promotion = { code: 'TENOHONE', value: { kind: 'fixed', amount: 1001 }, currency: 'USD' } as const;
    const cart = priceCart(usCart([line('a', 1000), line('b', 2000), line('c', 3000)], { promotion }), at);
    expect(cart.lines.map((l) => l.discount)).toEqual([167, 334, 500]);
    expect(cart.lines.map((l) => l.total)).toEqual([833, 1666, 2500]);
    expect(cart.discountTotal).toBe(1001);
    expect(cart.grandTotal).toBe(4999);
    expect(cart.adjustments).toEqual([
      { kind: 'promotion', code: 'TENOHONE', status: 'applied', amount: 1001 },
    ]);
  });

  it('3 × 0.333…: a dollar off three one-dollar lines is 34/33/33', () => {
    const promotion = { code: 'BUCK', value: { kind: 'fixed', amount: 100 }, currency: 'USD' } as const;
    const cart = priceCart(usCart([line('a', 100), line('b', 100), line('c', 100)], { promotion }), at);
    expect(cart.lines.map((l) => l.discount)).toEqual([34, 33, 33]);
    expect(cart.grandTotal).toBe(200);
  });

  it('rounds a 33.33% discount half-even once, on the order', () => {
    const promotion = { code: 'THIRD', value: { kind: 'percentage', basisPoints: 3333 } } as const;
    // 100 × 0.3333 = 33.33 → 33; split over 1:1:1 → 11/11/11
    const cart = priceCart(usCart([line('a', 33), line('b', 33), line('c', 34)], { promotion }), at);
    expect(cart.discountTotal).toBe(33);
    expect(cart.lines.map((l) => l.discount)).toEqual([11, 11, 11]);
  });

  it('caps a fixed discount at the subtotal', () => {
    const promotion = { code: 'BIG', value: { kind: 'fixed', amount: 10_000 }, currency: 'USD' } as const;
    const cart = priceCart(usCart([line('a', 700), line('b', 300)], { promotion }), at);
    expect(cart.discountTotal).toBe(1000);
    expect(cart.lines.map((l) => l.total)).toEqual([0, 0]);
    expect(cart.grandTotal).toBe(0);
  });
});

describe('priceCart: tax', () => {
  const VAT_FR: TaxRate[] = [{ country: 'FR', ratePpm: 200_000, appliesToShipping: true }];

  it('rounds tax per line, half-even: three 0.05 lines at 10% pay 0 tax, three 0.15 lines pay 0.06', () => {
    const rates: TaxRate[] = [{ country: 'US', ratePpm: 100_000 }];
    // 0.5 → 0 on each line (an order-level rounding would give 1.5 → 2)
    const five = priceCart(usCart([line('a', 5), line('b', 5), line('c', 5)], { taxRates: rates }), at);
    expect(five.lines.map((l) => l.tax)).toEqual([0, 0, 0]);
    expect(five.taxTotal).toBe(0);
    // 1.5 → 2 on each line (an order-level rounding would give 4.5 → 4)
    const fifteen = priceCart(usCart([line('a', 15), line('b', 15), line('c', 15)], { taxRates: rates }), at);
    expect(fifteen.lines.map((l) => l.tax)).toEqual([2, 2, 2]);
    expect(fifteen.taxTotal).toBe(6);
    expect(fifteen.grandTotal).toBe(51);
  });

  it('adds exclusive tax on top: 10.00 at 20% is 2.00, total 12.00', () => {
    const cart = priceCart(
      usCart([line('a', 1000)], { destination: { country: 'FR' }, taxRates: VAT_FR, currency: 'USD' }),
      at,
    );
    expect(cart.lines[0]).toMatchObject({ subtotal: 1000, tax: 200, total: 1200, taxRatePpm: 200_000 });
    expect(cart).toMatchObject({ taxTotal: 200, grandTotal: 1200 });
  });

  it('extracts inclusive tax: 10.00 at 20% holds 1.67 (1000 − round(833.33)), total stays 10.00', () => {
    const cart = priceCart(
      usCart([line('a', 1000)], { destination: { country: 'FR' }, taxRates: VAT_FR, pricesIncludeTax: true }),
      at,
    );
    expect(cart.lines[0]).toMatchObject({ subtotal: 1000, tax: 167, total: 1000 });
    expect(cart).toMatchObject({ taxTotal: 167, grandTotal: 1000 });
  });

  it('extracts inclusive tax on lines and shipping: 19.99 + 4.90 shipping at 19%', () => {
    const cart = priceCart(
      {
        currency: 'EUR',
        lines: [line('a', 1999, 1, {}, 'EUR')],
        destination: { country: 'DE' },
        pricesIncludeTax: true,
        taxRates: [{ country: 'DE', ratePpm: 190_000, appliesToShipping: true }],
        shippingMethod: {
          id: 'dhl',
          currency: 'EUR',
          rates: [{ countries: ['DE'], brackets: [{ amount: 490 }] }],
        },
      },
      at,
    );
    // 1999 / 1.19 = 1679.83 → 1680, tax 319; 490 / 1.19 = 411.76 → 412, tax 78
    expect(cart.lines[0]?.tax).toBe(319);
    expect(cart).toMatchObject({ shipping: 490, shippingTax: 78, taxTotal: 397, grandTotal: 2489 });
  });

  it('taxes the discounted amount, not the list price', () => {
    const promotion = { code: 'HALF', value: { kind: 'percentage', basisPoints: 5000 } } as const;
    const rates: TaxRate[] = [{ country: 'US', region: 'NY', ratePpm: 88_750 }];
    // net 999.5 → 1000 (half-even of 1999 × 0.5 = 999.5 → 1000); tax 1000 × 8.875% = 88.75 → 89
    const cart = priceCart(usCart([line('a', 1999)], { promotion, taxRates: rates }), at);
    expect(cart).toMatchObject({ discountTotal: 1000, taxTotal: 89, grandTotal: 1088 });
  });

  it('lets a region rate override the country rate, and falls back to the country', () => {
    const rates: TaxRate[] = [
      { country: 'CA', ratePpm: 50_000 },
      { country: 'CA', region: 'ON', ratePpm: 130_000 },
      { country: 'CA', category: 'food', ratePpm: 0 },
    ];
    const cart = (region: string) =>
      priceCart(
        usCart([line('a', 1000), line('bread', 1000, 1, { taxCategory: 'food' })], {
          destination: { country: 'CA', region },
          taxRates: rates,
        }),
        at,
      );
    expect(cart('ON').lines.map((l) => l.tax)).toEqual([130, 0]);
    expect(cart('AB').lines.map((l) => l.tax)).toEqual([50, 0]);
    expect(cart('on').taxTotal).toBe(130);
  });

  it('leaves untaxed destinations and unknown categories at the standard rate', () => {
    const rates: TaxRate[] = [{ country: 'US', region: 'NY', ratePpm: 88_750 }];
    const cart = priceCart(usCart([line('a', 1999, 1, { taxCategory: 'unknown' })], { taxRates: rates }), at);
    expect(cart.lines[0]?.tax).toBe(177); // 1999 × 0.08875 = 177.41 → 177
    const oregon = priceCart(
      usCart([line('a', 1999)], { taxRates: rates, destination: { country: 'US', region: 'OR' } }),
      at,
    );
    expect(oregon.taxTotal).toBe(0);
  });
});

describe('priceCart: JPY (zero decimals)', () => {
  it('prices yen carts in whole yen', () => {
    const cart = priceCart(
      {
        currency: 'JPY',
        lines: [line('tea', 1980, 2, {}, 'JPY'), line('cup', 500, 1, {}, 'JPY')],
        destination: { country: 'JP' },
        pricesIncludeTax: false,
        promotion: { code: 'SEN', value: { kind: 'fixed', amount: 1000 }, currency: 'JPY' },
        taxRates: [{ country: 'JP', ratePpm: 100_000, appliesToShipping: true }],
        shippingMethod: {
          id: 'yamato',
          currency: 'JPY',
          rates: [{ countries: ['JP'], brackets: [{ amount: 800 }] }],
        },
      },
      at,
    );
    // ¥1000 over 3960:500 → 887.89 / 112.11 → 887 + 112 = 999, the last yen to the .89 line
    expect(cart.lines.map((l) => l.discount)).toEqual([888, 112]);
    // nets 3072 and 388 → tax 307.2 → 307 and 38.8 → 39; shipping tax 80
    expect(cart.lines.map((l) => l.tax)).toEqual([307, 39]);
    expect(cart).toMatchObject({
      subtotal: 4460,
      discountTotal: 1000,
      shipping: 800,
      shippingTax: 80,
      taxTotal: 426,
      grandTotal: 4686,
    });
  });
});

describe('priceCart: errors', () => {
  it('refuses mixed currencies', () => {
    const run = () => priceCart(usCart([line('a', 100), line('b', 100, 1, {}, 'EUR')]), at);
    expect(run).toThrow(PricingError);
    try {
      run();
    } catch (error) {
      expect(PricingError.is(error, 'currency_mismatch')).toBe(true);
      expect((error as PricingError<'currency_mismatch'>).details).toEqual({
        expected: 'USD',
        actual: 'EUR',
        field: 'lines[1].unitPrice',
      });
    }
  });

  it('refuses a shipping method in another currency', () => {
    const shippingMethod = {
      id: 'x',
      currency: 'EUR',
      rates: [{ countries: '*', brackets: [{ amount: 1 }] }],
    } as const;
    expect(() => priceCart(usCart([line('a', 100)], { shippingMethod }), at)).toThrow(/mixed currencies/);
  });

  it('refuses floats, negatives, zero quantities and unknown currencies', () => {
    expect(() => priceCart(usCart([line('a', 9.99)]), at)).toThrow(/non-negative safe integer/);
    expect(() => priceCart(usCart([line('a', -1)]), at)).toThrow(PricingError);
    expect(() => priceCart(usCart([line('a', 100, 0)]), at)).toThrow(/positive integer/);
    expect(() => priceCart(usCart([line('a', 100, 1.5)]), at)).toThrow(/positive integer/);
    expect(() => priceCart({ ...usCart([]), currency: 'ABC' }, at)).toThrow(/unknown currency/);
    expect(() =>
      priceCart(usCart([line('a', 100)], { taxRates: [{ country: 'US', ratePpm: 0.08 }] }), at),
    ).toThrow(PricingError);
  });

  it('prices an empty cart as zero', () => {
    expect(priceCart(usCart([]), at)).toMatchObject({ subtotal: 0, grandTotal: 0, lines: [] });
  });
});
