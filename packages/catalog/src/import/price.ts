/**
 * Prices arrive as decimal text ("49.00") and are stored as integer minor units (4900).
 * The text is parsed digit by digit, never through a floating-point number, so "0.1" is
 * exactly 10 and "19.99" exactly 1999.
 *
 * Accepted: digits, optionally a dot and at most as many decimals as the currency has
 * (2 for USD/EUR, 0 for JPY, 3 for KWD); surrounding spaces are ignored. Refused, with a
 * reason: thousands separators ("1,000.00"), a decimal comma ("12,50"), signs, exponents,
 * currency symbols, more decimals than the currency has ("12.345" in USD), and amounts
 * whose minor units do not fit the database's integer column.
 */

/** Largest amount the `price_amount` column (a Postgres integer) holds. */
export const MAX_PRICE_AMOUNT = 2_147_483_647;

export type ParsedPrice = { ok: true; amount: number } | { ok: false; reason: string };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Decimal places of an ISO 4217 currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** True for a three-letter ISO 4217 code this runtime knows ("USD", not "usd" or "XYZ"). */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code);
}

/** Parses decimal text into integer minor units of `currency`; see the module comment for the rule. */
export function parsePrice(text: string, currency: string): ParsedPrice {
  const value = text.trim();
  if (value === '') return { ok: false, reason: 'is empty' };
  const digits = currencyDigits(currency);
  const match = DECIMAL.exec(value);
  if (!match) {
    if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) {
      return {
        ok: false,
        reason: `"${value}" has a thousands separator; write it as digits only, like 1000.00`,
      };
    }
    if (/^\d+,\d+$/.test(value)) {
      return { ok: false, reason: `"${value}" uses a decimal comma; use a dot, like 12.50` };
    }
    if (/^-/.test(value)) return { ok: false, reason: `"${value}" is negative` };
    return { ok: false, reason: `"${value}" is not a decimal amount like 49.00` };
  }
  const whole = match[1] as string;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      ok: false,
      reason:
        digits === 0
          ? `"${value}" has decimals, but ${currency} has no minor unit`
          : `"${value}" has ${fraction.length} decimals; ${currency} has ${digits}`,
    };
  }
  const minor = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  if (minor.length > 10 || Number(minor) > MAX_PRICE_AMOUNT) {
    return { ok: false, reason: `"${value}" is too large` };
  }
  return { ok: true, amount: Number(minor) };
}

/** Integer minor units back to decimal text: (4900, 'USD') → `49.00`, (1200, 'JPY') → `1200`. */
export function formatPrice(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  const text = String(amount).padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
