/** Small formatting helpers shared by the commerce emails: escaping, links, money, dates, addresses. */

import { currencyExponent } from '../pricing/money.ts';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Collapses line breaks and runs of whitespace, so a value cannot break the plain-text layout. */
export const oneLine = (value: string) => value.replace(/\s+/g, ' ').trim();

/** `value` as an absolute http(s) URL, or null for anything else (`javascript:`, `data:`, relative, junk). */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * `amount` integer minor units of `currency` for display ("$1,234.56", "¥1,235", "KWD 12.345").
 * The only floating-point step is the final division by a power of ten, which is exact to the
 * displayed digits for every safe integer amount. Throws for non-integer amounts and, like
 * `currencyExponent`, for currencies whose exponent is unknown.
 */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`money amount must be integer minor units, got ${amount}`);
  }
  const exponent = currencyExponent(currency);
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(currency, formatter);
  }
  return formatter.format(amount / 10 ** exponent);
}

const dateFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' });

/** An ISO timestamp as "March 5, 2025" (UTC); the input unchanged if it is not a valid date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

const regionNames = new Intl.DisplayNames('en', { type: 'region', fallback: 'code' });

/** "US" → "United States"; anything that is not a two-letter code is shown as given. */
export function countryName(country: string): string {
  const code = country.trim();
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export interface PostalAddress {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
}

/** The address as display lines (unescaped): name, street lines, "City, Region 12345", country. */
export function addressLines(address: PostalAddress): string[] {
  const cityLine = [
    [address.city, address.region]
      .map((part) => oneLine(part ?? ''))
      .filter(Boolean)
      .join(', '),
    oneLine(address.postalCode),
  ]
    .filter(Boolean)
    .join(' ');
  return [address.name, address.line1, address.line2 ?? '', cityLine, countryName(address.country)]
    .map(oneLine)
    .filter(Boolean);
}
