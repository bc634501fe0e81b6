/** Display helpers shared by every page (one locale for staff: the browser's). */

export interface Money {
  amount: number;
  currency: string;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Minor units (cents) → "€12.50". */
export function formatMoney(amount: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

export const money = (value: Money | null | undefined) =>
  value ? formatMoney(value.amount, value.currency) : '—';

/** How many decimals a currency's amounts have (2 for EUR, 0 for JPY, 3 for BHD); 2 when unknown. */
export function currencyDigits(currency: string | null | undefined): number {
  if (!currency) return 2;
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** "12.50" typed by a person → minor units, or null when it is not an amount. */
export function parseAmount(text: string, fractionDigits = 2): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  if (fraction.length > fractionDigits) return null;
  return Number(whole) * 10 ** fractionDigits + Number(fraction.padEnd(fractionDigits, '0') || 0);
}

/** Minor units → "12.50" for an input's value. */
export const amountInput = (amount: number, fractionDigits = 2) =>
  (amount / 10 ** fractionDigits).toFixed(fractionDigits);

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatDateTime = (iso: string | null | undefined) =>
  iso ? dateTime.format(new Date(iso)) : '—';
export const formatDate = (iso: string | null | undefined) => (iso ? dateOnly.format(new Date(iso)) : '—');

export const formatNumber = (value: number) => new Intl.NumberFormat().format(value);

/** snake_case status → "Partially refunded". */
export const humanize = (value: string) => {
  const text = value.replace(/[_-]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/**
 * The ISO instant a YYYY-MM-DD day starts in the browser's time zone, `plusDays` later (1: the
 * exclusive end of a range that includes the day); undefined when `day` is not such a date.
 */
export function dayStartIso(day: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays).toISOString();
}
