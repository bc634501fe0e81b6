import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ProductPage } from '@/lib/catalog';
import { FilterForm } from './FilterForm';
import styles from './Listing.module.css';
import { hasFilters, type ListingSort, type ListingState, listingHref, SORT_LABELS } from './listing-params';
import { ProductGrid } from './ProductCard';

interface ListingProps {
  basePath: string;
  state: ListingState;
  page: ProductPage;
  defaultSort: ListingSort;
  currency: string;
  /** Shown instead of the grid when the listing is empty. */
  empty: ReactNode;
  label: string;
}

function currencySymbol(currency: string): string {
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
        .formatToParts(0)
        .find((p) => p.type === 'currency')?.value ?? currency
    );
  } catch {
    return currency;
  }
}

/** Filters, the product grid and cursor pagination of one listing — all state in the URL. */
export function Listing({ basePath, state, page, defaultSort, currency, empty, label }: ListingProps) {
  const sorts = (Object.keys(SORT_LABELS) as ListingSort[])
    .filter((s) => s !== 'relevance' || state.q)
    .map((value) => ({ value, label: SORT_LABELS[value] }));
  const base: ListingState = { ...state, cursor: undefined, prev: [] };
  const filtered = hasFilters(state);
  const clearHref = filtered
    ? listingHref(basePath, { q: state.q, sort: state.sort, inStock: false, has3d: false, prev: [] })
    : undefined;

  const pageNumber = state.cursor ? state.prev.length + 2 : 1;
  const previousHref = state.cursor
    ? listingHref(basePath, { ...base, cursor: state.prev.at(-1), prev: state.prev.slice(0, -1) })
    : null;
  const nextHref = page.nextCursor
    ? listingHref(basePath, {
        ...base,
        cursor: page.nextCursor,
        prev: state.cursor ? [...state.prev, state.cursor] : [],
      })
    : null;

  return (
    <div className={styles.listing}>
      <FilterForm
        key={listingHref(basePath, base)}
        basePath={basePath}
        q={state.q}
        sort={state.sort ?? defaultSort}
        sorts={sorts}
        min={state.min}
        max={state.max}
        inStock={state.inStock}
        has3d={state.has3d}
        currencySymbol={currencySymbol(currency)}
        clearHref={clearHref}
      />
      <div className={styles.results}>
        {page.items.length ? (
          <>
            <h2 className="visually-hidden">{label}</h2>
            <p className={styles.count} aria-live="polite">
              {pageNumber > 1 ? `Page ${pageNumber} · ` : ''}
              {page.items.length} {page.items.length === 1 ? 'product' : 'products'}
              {page.nextCursor ? ' shown' : ''}
            </p>
            <ProductGrid products={page.items} priorityCount={pageNumber === 1 ? 2 : 0} label={label} />
          </>
        ) : (
          <div className={styles.empty}>
            {empty}
            {clearHref && (
              <p>
                <Link href={clearHref} className="button button-secondary">
                  Clear filters
                </Link>
              </p>
            )}
          </div>
        )}
        {(previousHref || nextHref) && (
          <nav aria-label="Pagination" className={styles.pagination}>
            {previousHref ? (
              <Link href={previousHref} className="button button-secondary" rel="prev">
                ← Previous
              </Link>
            ) : (
              <span />
            )}
            <span className={styles.pageNumber}>Page {pageNumber}</span>
            {nextHref ? (
              <Link href={nextHref} className="button button-secondary" rel="next">
                Next →
              </Link>
            ) : (
              <span />
            )}
          </nav>
        )}
      </div>
    </div>
  );
}
