import type { ShippingMethodCreate, ShippingMethodDoc } from '@e3d/contracts';
import { amountInput, parseAmount } from '@/lib/format';

/**
 * A shipping method's rates as a grid staff can edit: one row per group of destinations, one
 * column per weight bracket (shared by every row), the last column the open "heavier" bracket.
 * An empty cell means the row has no bracket there, so the next heavier price applies.
 */
export interface RateGrid {
  /** Upper weight limits in grams as typed, one per column (the open column is not listed). */
  limits: string[];
  rows: RateRow[];
}

export interface RateRow {
  key: number;
  /** "DE, AT, CH" or "*" for every country no other row names. */
  countries: string;
  /** One amount per limit, then the open bracket's amount; '' when the row has no such bracket. */
  cells: string[];
}

let nextKey = 1;
export const newRowKey = () => nextKey++;

export const emptyGrid = (): RateGrid => ({
  limits: [],
  rows: [{ key: newRowKey(), countries: '*', cells: [''] }],
});

export function gridOf(method: ShippingMethodDoc, digits: number): RateGrid {
  const limits = [
    ...new Set(
      method.rates.flatMap((rate) =>
        rate.brackets.map((b) => b.maxWeightGrams).filter((w): w is number => typeof w === 'number'),
      ),
    ),
  ].sort((a, b) => a - b);
  const rows = method.rates.map((rate) => {
    const cells = limits.map((limit) => {
      const bracket = rate.brackets.find((b) => b.maxWeightGrams === limit);
      return bracket ? amountInput(bracket.amount, digits) : '';
    });
    const open = rate.brackets.find((b) => b.maxWeightGrams == null);
    cells.push(open ? amountInput(open.amount, digits) : '');
    return { key: newRowKey(), countries: rate.countries === '*' ? '*' : rate.countries.join(', '), cells };
  });
  return { limits: limits.map(String), rows: rows.length > 0 ? rows : emptyGrid().rows };
}

/** Where a message about the grid belongs: a column's limit, a row's destinations, one cell, or the grid. */
export type GridErrors = Record<string, string>;
export const limitKey = (column: number) => `limit.${column}`;
export const countriesKey = (row: number) => `row.${row}.countries`;
export const cellKey = (row: number, column: number) => `cell.${row}.${column}`;
export const GRID_KEY = 'grid';

export function parseCountries(text: string): '*' | string[] {
  const trimmed = text.trim();
  if (trimmed === '*') return '*';
  return trimmed
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((code) => code.toUpperCase());
}

export interface BuiltRates {
  rates: ShippingMethodCreate['rates'];
  errors: GridErrors;
  /** For each sent rate and bracket, the grid row and column it came from (to place the API's messages). */
  origin: { row: number; columns: number[] }[];
}

/** The grid → the API's `rates`, lightest bracket first, with messages for what cannot be sent. */
export function buildRates(grid: RateGrid, digits: number): BuiltRates {
  const errors: GridErrors = {};
  const limits = grid.limits.map((text, column) => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value < 1) {
      errors[limitKey(column)] = 'must be a whole number of grams above 0';
      return null;
    }
    return value;
  });
  limits.forEach((limit, column) => {
    if (limit !== null && limits.indexOf(limit) !== column)
      errors[limitKey(column)] = 'repeats another column';
  });
  // Columns lightest first; the open column (index limits.length) always last.
  const order = limits
    .map((limit, column) => ({ limit, column }))
    .sort((a, b) => (a.limit ?? 0) - (b.limit ?? 0))
    .map((c) => c.column);
  order.push(grid.limits.length);

  const rates: ShippingMethodCreate['rates'] = [];
  const origin: BuiltRates['origin'] = [];
  grid.rows.forEach((row, rowIndex) => {
    const countries = parseCountries(row.countries);
    const blank = row.countries.trim() === '' && row.cells.every((c) => c.trim() === '');
    if (blank) return;
    if (countries !== '*') {
      if (countries.length === 0)
        errors[countriesKey(rowIndex)] = 'name at least one country code, or * for everywhere else';
      const bad = countries.find((code) => !/^[A-Z]{2}$/.test(code));
      if (bad) errors[countriesKey(rowIndex)] = `${bad} is not a two-letter country code`;
    }
    const brackets: ShippingMethodCreate['rates'][number]['brackets'] = [];
    const columns: number[] = [];
    for (const column of order) {
      const text = row.cells[column]?.trim() ?? '';
      if (!text) continue;
      const amount = parseAmount(text, digits);
      if (amount === null) {
        errors[cellKey(rowIndex, column)] =
          digits === 0 ? 'must be a whole amount' : `must be an amount like ${(0).toFixed(digits)}`;
        continue;
      }
      const limit = column < limits.length ? limits[column] : undefined;
      brackets.push(limit == null ? { amount } : { maxWeightGrams: limit, amount });
      columns.push(column);
    }
    if (brackets.length === 0 && !Object.keys(errors).some((k) => k.startsWith(`cell.${rowIndex}.`)))
      errors[cellKey(rowIndex, grid.limits.length)] = 'give a price in at least one column';
    rates.push({ countries, brackets });
    origin.push({ row: rowIndex, columns });
  });
  if (rates.length === 0) errors[GRID_KEY] = 'add at least one row of destinations with a price';
  return { rates, errors, origin };
}

/** The API's field errors about `rates…` → the grid's keys; everything else is returned as is. */
export function placeRateErrors(apiErrors: Record<string, string>, origin: BuiltRates['origin']): GridErrors {
  const placed: GridErrors = {};
  for (const [field, message] of Object.entries(apiErrors)) {
    const match = /^rates(?:\.(\d+)(?:\.(countries|brackets)(?:\.(\d+))?(?:\.(\w+))?)?)?$/.exec(field);
    if (!match) {
      placed[field] = message;
      continue;
    }
    const [, rateText, part, bracketText] = match;
    const rate = rateText === undefined ? undefined : origin[Number(rateText)];
    if (!rate) {
      placed[GRID_KEY] ??= message;
    } else if (part === 'brackets' && bracketText !== undefined) {
      const column = rate.columns[Number(bracketText)];
      placed[column === undefined ? countriesKey(rate.row) : cellKey(rate.row, column)] ??= message;
    } else {
      placed[countriesKey(rate.row)] ??= message;
    }
  }
  return placed;
}

/** A short description of where a method ships: "DE, AT, CH · everywhere else". */
export function destinationsSummary(method: ShippingMethodDoc): string {
  const named = method.rates.flatMap((r) => (r.countries === '*' ? [] : r.countries));
  const everywhere = method.rates.some((r) => r.countries === '*');
  const shown = named.slice(0, 6).join(', ') + (named.length > 6 ? ` +${named.length - 6}` : '');
  if (everywhere) return shown ? `${shown} · everywhere else` : 'Everywhere';
  return shown || '—';
}

/** The cheapest price a method charges anywhere (for the list). */
export function lowestPrice(method: ShippingMethodDoc): number | null {
  const amounts = method.rates.flatMap((r) => r.brackets.map((b) => b.amount));
  return amounts.length > 0 ? Math.min(...amounts) : null;
}
