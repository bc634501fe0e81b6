/**
 * A listing's state lives in its URL (filters, sort, page) so every view is a link, works
 * without JavaScript and is cached per URL. Prices in the URL are in major units (`?min=20`),
 * the API takes minor units.
 */

export type SearchParams = Record<string, string | string[] | undefined>;

export const LISTING_SORTS = ['newest', 'price-asc', 'price-desc', 'title', 'relevance'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

export const SORT_LABELS: Record<ListingSort, string> = {
  relevance: 'Best match',
  newest: 'Newest',
  'price-asc': 'Price: low to high',
  'price-desc': 'Price: high to low',
  title: 'Name: A–Z',
};

export interface ListingState {
  q?: string;
  sort?: ListingSort;
  min?: number;
  max?: number;
  inStock: boolean;
  has3d: boolean;
  cursor?: string;
  /** Cursors of the pages before this one, oldest first (for "Previous"). */
  prev: string[];
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
const CURSOR = /^[A-Za-z0-9_-]{1,500}$/;
const MAX_PREV = 30;

function price(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 && n < 1e9 ? n : undefined;
}

export function parseListing(params: SearchParams): ListingState {
  const q = first(params.q)?.trim().slice(0, 200) || undefined;
  const sortParam = first(params.sort);
  let sort = LISTING_SORTS.find((s) => s === sortParam);
  if (sort === 'relevance' && !q) sort = undefined;
  let min = price(first(params.min));
  let max = price(first(params.max));
  if (min !== undefined && max !== undefined && min > max) [min, max] = [max, min];
  const cursor = first(params.cursor);
  const prev = (first(params.prev) ?? '').split('.').filter((c) => CURSOR.test(c));
  return {
    q,
    sort,
    min,
    max,
    inStock: first(params.inStock) === '1',
    has3d: first(params.has3d) === '1',
    cursor: cursor && CURSOR.test(cursor) ? cursor : undefined,
    prev: cursor && CURSOR.test(cursor) ? prev.slice(-MAX_PREV) : [],
  };
}

export function hasFilters(state: ListingState): boolean {
  return state.min !== undefined || state.max !== undefined || state.inStock || state.has3d;
}

/** The URL of a listing state (page fields included only when given). */
export function listingHref(basePath: string, state: ListingState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.sort) params.set('sort', state.sort);
  if (state.min !== undefined) params.set('min', String(state.min));
  if (state.max !== undefined) params.set('max', String(state.max));
  if (state.inStock) params.set('inStock', '1');
  if (state.has3d) params.set('has3d', '1');
  if (state.cursor) {
    params.set('cursor', state.cursor);
    if (state.prev.length) params.set('prev', state.prev.join('.'));
  }
  const query = params.toString();
  return query ? `${basePath}?${query}` : basePath;
}

export function currencyExponent(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** Listing state → the API's price filters in minor units. */
export function minorPrices(state: ListingState, currency: string): { minPrice?: number; maxPrice?: number } {
  const factor = 10 ** currencyExponent(currency);
  return {
    minPrice: state.min === undefined ? undefined : Math.round(state.min * factor),
    maxPrice: state.max === undefined ? undefined : Math.round(state.max * factor),
  };
}
