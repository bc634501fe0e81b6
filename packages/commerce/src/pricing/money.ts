import { PricingError } from './errors.ts';

/** An ISO 4217 alphabetic code, upper case (`USD`, `JPY`, `KWD`). */
export type CurrencyCode = string;

/** An amount of money: an integer count of the currency's minor unit (cents for USD, yen for JPY). */
export interface Money {
  amount: number;
  currency: CurrencyCode;
}

/**
 * ISO 4217 minor-unit exponents: the number of decimals of the currency's minor unit.
 * Currencies not listed here are refused with `unknown_currency` rather than guessed.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<CurrencyCode, number>> = {
  // zero-decimal
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // three-decimal
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // four-decimal
  CLF: 4,
  UYW: 4,
  // two-decimal (the common case)
  AED: 2,
  ARS: 2,
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  PHP: 2,
  PLN: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  USD: 2,
  ZAR: 2,
};

/** The number of decimals of `currency`'s minor unit; throws `unknown_currency` for codes not listed. */
export function currencyExponent(currency: CurrencyCode): number {
  const exponent = Object.hasOwn(CURRENCY_EXPONENTS, currency) ? CURRENCY_EXPONENTS[currency] : undefined;
  if (exponent === undefined) throw new PricingError('unknown_currency', { currency });
  return exponent;
}

/** Throws `invalid_input` unless `value` is a safe integer ≥ 0. */
export function assertMinorUnits(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new PricingError('invalid_input', {
      field,
      reason: `must be a non-negative safe integer, got ${value}`,
    });
  }
}

/** Builds a Money after checking the amount is integer minor units and the currency is known. */
export function money(amount: number, currency: CurrencyCode): Money {
  currencyExponent(currency);
  assertMinorUnits(amount, 'amount');
  return { amount, currency };
}

/**
 * Parses a decimal string (`"19.99"`, `"1000"`, `"1.250"`) into minor units without ever going
 * through a float. More decimals than the currency has is an error, never a silent rounding.
 */
export function parseMoney(decimal: string, currency: CurrencyCode): Money {
  const exponent = currencyExponent(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  const whole = match?.[1];
  const fraction = match?.[2] ?? '';
  if (whole === undefined || fraction.length > exponent) {
    throw new PricingError('invalid_input', {
      field: 'amount',
      reason: `"${decimal}" is not a ${currency} amount with at most ${exponent} decimals`,
    });
  }
  return money(Number(whole + fraction.padEnd(exponent, '0')), currency);
}
