import { describe, expect, it } from 'vitest';
import { PricingError, type Promotion, priceCart } from '../src/pricing/index.ts';
import { at, GROUND, line, NOW, usCart } from './fixtures.ts';

const TEN: Promotion = { code: 'TEN', value: { kind: 'percentage', basisPoints: 1000 } };
const refusal = (promotion: Promotion, subtotal = 5000) =>
  priceCart(usCart([line('a', subtotal)], { promotion }), at).adjustments;

describe('promotions', () => {
  it('applies 10% off (basis points) when every condition holds', () => {
    const promotion: Promotion = {
      ...TEN,
      currency: 'USD',
      minimumSubtotal: 5000,
      startsAt: new Date('2026-01-01T00:00:00Z'),
      expiresAt: new Date('2026-12-31T00:00:00Z'),
      usageLimit: 100,
      usedCount: 99,
    };
    expect(refusal(promotion)).toEqual([{ kind: 'promotion', code: 'TEN', status: 'applied', amount: 500 }]);
  });

  it.each([
    ['promotion_expired', { expiresAt: NOW }],
    ['promotion_expired', { expiresAt: new Date('2026-05-31T00:00:00Z') }],
    ['promotion_not_started', { startsAt: new Date('2026-06-02T00:00:00Z') }],
    ['promotion_exhausted', { usageLimit: 100, usedCount: 100 }],
    ['promotion_exhausted', { usageLimit: 0 }],
    ['promotion_minimum_not_met', { minimumSubtotal: 5001 }],
    ['promotion_currency_mismatch', { currency: 'EUR' }],
  ] as const)('refuses with %s', (reason, extra) => {
    const cart = priceCart(usCart([line('a', 5000)], { promotion: { ...TEN, ...extra } }), at);
    expect(cart.adjustments).toEqual([{ kind: 'promotion', code: 'TEN', status: 'refused', reason }]);
    expect(cart.discountTotal).toBe(0);
    expect(cart.grandTotal).toBe(5000);
  });

  it('refuses a fixed amount with no currency as a currency mismatch', () => {
    expect(refusal({ code: 'FIVE', value: { kind: 'fixed', amount: 500 } })[0]).toMatchObject({
      status: 'refused',
      reason: 'promotion_currency_mismatch',
    });
  });

  it('reports the first failing rule: currency, start, expiry, usage, minimum', () => {
    const everythingWrong: Promotion = {
      ...TEN,
      currency: 'EUR',
      expiresAt: new Date(0),
      usageLimit: 0,
      minimumSubtotal: 1_000_000,
    };
    expect(refusal(everythingWrong)[0]).toMatchObject({ reason: 'promotion_currency_mismatch' });
    expect(refusal({ ...everythingWrong, currency: 'USD' })[0]).toMatchObject({
      reason: 'promotion_expired',
    });
    expect(refusal({ ...everythingWrong, currency: 'USD', expiresAt: undefined })[0]).toMatchObject({
      reason: 'promotion_exhausted',
    });
  });
});

describe('shipping', () => {
  const ship = (grams: number, country = 'US', amount = 1000) =>
    priceCart(
      usCart([line('a', amount, 1, { weightGrams: grams })], {
        shippingMethod: GROUND,
        destination: { country },
      }),
      at,
    );

  it('picks the lightest bracket that holds the weight (upper bounds inclusive)', () => {
    expect(ship(1).shipping).toBe(500);
    expect(ship(500).shipping).toBe(500);
    expect(ship(501).shipping).toBe(900);
    expect(ship(2000).shipping).toBe(900);
  });

  it('sums weight × quantity', () => {
    const cart = priceCart(
      usCart([line('a', 100, 3, { weightGrams: 150 }), line('b', 100, 1, { weightGrams: 51 })], {
        shippingMethod: GROUND,
      }),
      at,
    );
    expect(cart.weightGrams).toBe(501);
    expect(cart.shipping).toBe(900);
  });

  it('falls back to the "*" rate for other countries', () => {
    expect(ship(1000, 'FR').shipping).toBe(2500);
    expect(ship(1000, 'fr').shipping).toBe(2500);
  });

  it('throws shipping_unavailable when too heavy or when no rate covers the country', () => {
    expect(() => ship(2001)).toThrow(PricingError);
    try {
      ship(1001, 'FR');
    } catch (error) {
      expect(PricingError.is(error, 'shipping_unavailable')).toBe(true);
      expect((error as PricingError<'shipping_unavailable'>).details).toEqual({
        method: 'ground',
        country: 'FR',
        weightGrams: 1001,
        reason: 'too_heavy',
      });
    }
    const usOnly = { ...GROUND, rates: GROUND.rates.slice(0, 1) };
    const run = () =>
      priceCart(usCart([line('a', 100)], { shippingMethod: usOnly, destination: { country: 'JP' } }), at);
    expect(run).toThrow(/shipping method unavailable/);
  });

  it('is free at or over the threshold, and never rescues an unavailable destination', () => {
    expect(ship(100, 'US', 4999).shipping).toBe(500);
    const free = ship(100, 'US', 5000);
    expect(free.shipping).toBe(0);
    expect(free.grandTotal).toBe(5000);
    expect(free.adjustments).toEqual([
      { kind: 'free_shipping', method: 'ground', status: 'applied', amount: 500, freeOver: 5000 },
    ]);
    expect(() => ship(5000, 'US', 10_000)).toThrow(PricingError);
  });

  it('compares the threshold with the merchandise total after discounts', () => {
    const promotion = { code: 'TENOHONE', value: { kind: 'fixed', amount: 1001 }, currency: 'USD' } as const;
    const cart = priceCart(
      usCart([line('a', 1000), line('b', 2000), line('c', 3000)], { promotion, shippingMethod: GROUND }),
      at,
    );
    // 6000 − 1001 = 4999 < 5000: shipping is charged (300 g → $5)
    expect(cart).toMatchObject({ shipping: 500, grandTotal: 5499 });
  });

  it('taxes shipping only when the standard rate says so', () => {
    const cart = (appliesToShipping: boolean) =>
      priceCart(
        usCart([line('a', 1000)], {
          shippingMethod: GROUND,
          taxRates: [{ country: 'US', ratePpm: 100_000, appliesToShipping }],
        }),
        at,
      );
    expect(cart(true)).toMatchObject({ shipping: 500, shippingTax: 50, taxTotal: 150, grandTotal: 1650 });
    expect(cart(false)).toMatchObject({ shipping: 500, shippingTax: 0, taxTotal: 100, grandTotal: 1600 });
  });
});
