import { describe, expect, it } from 'vitest';
import {
  allocateLargestRemainder,
  currencyExponent,
  divRoundHalfEven,
  mulDivRoundHalfEven,
  PricingError,
  parseMoney,
} from '../src/pricing/index.ts';

describe('divRoundHalfEven', () => {
  it('rounds halves to the even neighbour and everything else to the nearest', () => {
    expect(divRoundHalfEven(5n, 10n)).toBe(0n); // 0.5 → 0
    expect(divRoundHalfEven(15n, 10n)).toBe(2n); // 1.5 → 2
    expect(divRoundHalfEven(25n, 10n)).toBe(2n); // 2.5 → 2
    expect(divRoundHalfEven(35n, 10n)).toBe(4n); // 3.5 → 4
    expect(divRoundHalfEven(26n, 10n)).toBe(3n);
    expect(divRoundHalfEven(24n, 10n)).toBe(2n);
    expect(divRoundHalfEven(-25n, 10n)).toBe(-2n);
    expect(divRoundHalfEven(-26n, 10n)).toBe(-3n);
  });

  it('stays exact past 2^53 in the intermediate product', () => {
    // 9_007_199_254_740_991 × 3 / 3 would lose digits in floating point.
    expect(mulDivRoundHalfEven(Number.MAX_SAFE_INTEGER, 3, 3)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('allocateLargestRemainder', () => {
  it('splits 1001 over 1000/2000/3000 as 167/334/500', () => {
    // quotas 166.833…, 333.666…, 500.5 → floors 166/333/500 (999), the 2 left go to .833 and .666
    expect(allocateLargestRemainder(1001, [1000, 2000, 3000])).toEqual([167, 334, 500]);
  });

  it('splits 1001 over three equal lines as 334/334/333 (ties go to the earlier line)', () => {
    expect(allocateLargestRemainder(1001, [5, 5, 5])).toEqual([334, 334, 333]);
  });

  it('splits 100 in thirds as 34/33/33', () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
  });

  it('gives nothing to zero weights and zeros when every weight is zero', () => {
    expect(allocateLargestRemainder(10, [0, 3, 0, 1])).toEqual([0, 8, 0, 2]); // 7.5 → 7+1, 2.5 → 2
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
  });
});

describe('currencies', () => {
  it('knows ISO 4217 exponents', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('refuses unknown currencies', () => {
    expect(() => currencyExponent('XXX')).toThrow(PricingError);
    expect(() => currencyExponent('toString')).toThrow(PricingError);
  });

  it('parses decimal strings without floats', () => {
    expect(parseMoney('19.99', 'USD')).toEqual({ amount: 1999, currency: 'USD' });
    expect(parseMoney('0.1', 'USD')).toEqual({ amount: 10, currency: 'USD' });
    expect(parseMoney('1980', 'JPY')).toEqual({ amount: 1980, currency: 'JPY' });
    expect(parseMoney('1.25', 'KWD')).toEqual({ amount: 1250, currency: 'KWD' });
    expect(() => parseMoney('1.5', 'JPY')).toThrow(PricingError);
    expect(() => parseMoney('1.999', 'USD')).toThrow(PricingError);
    expect(() => parseMoney('-1', 'USD')).toThrow(PricingError);
  });
});
