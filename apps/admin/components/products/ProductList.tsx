'use client';

import type { AdminProductSummary } from '@e3d/contracts';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Can, useStaff } from '@/components/session/StaffSession';
import { PageHeader } from '@/components/ui/PageHeader';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { query } from '@/lib/api';
import { formatDateTime, formatMoney } from '@/lib/format';
import { errorDetail } from '@/lib/use-api-data';
import { useCursorList } from '@/lib/use-cursor-list';
import { BulkEditDialog } from './BulkEditDialog';
import styles from './products.module.css';
import { ReadOnlyNotice } from './ReadOnlyNotice';
import { useTaxonomy } from './taxonomy';

const PAGE_SIZE = 50;
/** The filters that live in the URL, so a reload or Back shows the same list. */
const FILTER_KEYS = ['q', 'status', 'categoryId', 'collectionId', 'has3d', 'inStock', 'sort'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Record<FilterKey, string>;

function priceRange(product: AdminProductSummary): string {
  const range = product.priceRange;
  if (!range) return '—';
  const min = formatMoney(range.min.amount, range.min.currency);
  return range.min.amount === range.max.amount
    ? min
    : `${min} – ${formatMoney(range.max.amount, range.max.currency)}`;
}

/**
 * Every product, drafts included: searchable and filterable through the URL, loaded a page at
 * a time (keyset), with rows selectable for a bulk price and stock edit.
 */
export function ProductList() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { can } = useStaff();
  const canEdit = can('catalog:write');
  const taxonomy = useTaxonomy();

  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters;
  const filterKey = FILTER_KEYS.map((k) => filters[k]).join('\u0000');
  const filtered = FILTER_KEYS.some((k) => k !== 'sort' && filters[k]);

  const [search, setSearch] = useState(filters.q);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);

  const setFilters = useCallback(
    (patch: Partial<Filters>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      const text = next.toString();
      router.replace(text ? `${pathname}?${text}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  // Typing waits for a pause before it becomes the URL's `q` (and a request).
  const urlQ = filters.q;
  useEffect(() => {
    if (search.trim() === urlQ) return;
    const timer = setTimeout(() => setFilters({ q: search.trim() }), 300);
    return () => clearTimeout(timer);
  }, [search, urlQ, setFilters]);
  // Back/forward changes the URL under the box: follow it.
  const lastUrlQ = useRef(urlQ);
  useEffect(() => {
    if (lastUrlQ.current !== urlQ) {
      lastUrlQ.current = urlQ;
      // Our own debounce wrote the trimmed text: keep what is typed, trailing space and all.
      setSearch((typed) => (typed.trim() === urlQ ? typed : urlQ));
    }
  }, [urlQ]);

  const products = useCursorList<AdminProductSummary>(
    `/api/admin/products${query({ ...filters, limit: PAGE_SIZE, sort: filters.sort || undefined })}`,
    'The products could not be loaded.',
  );
  const items = products.items ?? [];
  const loading = products.loading;
  const [moreError, setMoreError] = useState<string | null>(null);
  const error = products.errorMessage ?? moreError;
  const reload = () => {
    setMoreError(null);
    setSelected(new Set());
    products.reload();
  };
  const loadMore = () =>
    products
      .loadMore()
      .catch((caught: unknown) => setMoreError(errorDetail(caught, 'More products could not be loaded.')));

  // Other filters, another list: what was selected in the old one no longer shows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters
  useEffect(() => {
    setMoreError(null);
    setSelected(new Set());
  }, [filterKey]);

  const toggle = (id: string, on: boolean) =>
    setSelected((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allSelected = items.length > 0 && items.every((p) => selected.has(p.id));
  const someSelected = !allSelected && items.some((p) => selected.has(p.id));

  return (
    <div>
      <PageHeader
        title="Products"
        description="Every product, drafts and archived ones included."
        actions={
          <Can permission="catalog:write">
            <Link href="/products/new" className="button primary">
              New product
            </Link>
          </Can>
        }
      />
      {!canEdit && <ReadOnlyNotice />}

      <search className={styles.filters} aria-label="Filter products">
        <label className="field">
          <span>Search</span>
          <input
            type="search"
            value={search}
            placeholder="Title, handle or SKU"
            maxLength={200}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Status</span>
          <select value={filters.status} onChange={(e) => setFilters({ status: e.target.value })}>
            <option value="">Any status</option>
            <option value="draft">Draft</option>
            <option value="published">Published</option>
            <option value="archived">Archived</option>
          </select>
        </label>
        <label className="field">
          <span>Category</span>
          <select value={filters.categoryId} onChange={(e) => setFilters({ categoryId: e.target.value })}>
            <option value="">Any category</option>
            {taxonomy.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {'\u00a0\u00a0'.repeat(c.depth)}
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Collection</span>
          <select value={filters.collectionId} onChange={(e) => setFilters({ collectionId: e.target.value })}>
            <option value="">Any collection</option>
            {taxonomy.collections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>3D model</span>
          <select value={filters.has3d} onChange={(e) => setFilters({ has3d: e.target.value })}>
            <option value="">With or without</option>
            <option value="true">Has a 3D model</option>
            <option value="false">No 3D model</option>
          </select>
        </label>
        <label className="field">
          <span>Stock</span>
          <select value={filters.inStock} onChange={(e) => setFilters({ inStock: e.target.value })}>
            <option value="">Any stock</option>
            <option value="true">In stock</option>
            <option value="false">Out of stock</option>
          </select>
        </label>
        <label className="field">
          <span>Sort by</span>
          <select value={filters.sort} onChange={(e) => setFilters({ sort: e.target.value })}>
            <option value="">Recently updated</option>
            <option value="created">Recently created</option>
            <option value="title">Title</option>
          </select>
        </label>
      </search>

      {canEdit && selected.size > 0 && (
        <section className={styles.selectionBar} aria-label="Selected products">
          <span aria-live="polite">
            {selected.size} product{selected.size === 1 ? '' : 's'} selected
          </span>
          <button type="button" className="button primary small" onClick={() => setBulkOpen(true)}>
            Edit prices and stock
          </button>
          <button type="button" className="button small" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </section>
      )}

      {error && (
        <div className="notice danger row" role="alert">
          <span>{error}</span>
          <button type="button" className="button small" onClick={reload}>
            Try again
          </button>
        </div>
      )}

      {loading ? (
        <div className={styles.loading} aria-busy="true">
          <span className="spinner" role="status" aria-label="Loading products" />
        </div>
      ) : items.length === 0 && !error ? (
        <div className={`card ${styles.empty}`}>
          {filtered ? (
            <>
              <h2>No products match these filters</h2>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setSearch('');
                  router.replace(pathname, { scroll: false });
                }}
              >
                Clear filters
              </button>
            </>
          ) : (
            <>
              <h2>No products yet</h2>
              <p className="muted">Products you add show up here, drafts included.</p>
              <Can permission="catalog:write">
                <Link href="/products/new" className="button primary">
                  Add your first product
                </Link>
              </Can>
            </>
          )}
        </div>
      ) : (
        items.length > 0 && (
          <>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Products</caption>
                <thead>
                  <tr>
                    {canEdit && (
                      <th scope="col" className={styles.selectCell}>
                        <input
                          type="checkbox"
                          aria-label="Select all products shown"
                          checked={allSelected}
                          ref={(el) => {
                            if (el) el.indeterminate = someSelected;
                          }}
                          onChange={(e) =>
                            setSelected(e.target.checked ? new Set(items.map((p) => p.id)) : new Set())
                          }
                        />
                      </th>
                    )}
                    <th scope="col">
                      <span className="visually-hidden">Image</span>
                    </th>
                    <th scope="col">Title</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Variants
                    </th>
                    <th scope="col" className="num">
                      Price
                    </th>
                    <th scope="col">Stock</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((product) => (
                    <tr key={product.id}>
                      {canEdit && (
                        <td className={styles.selectCell}>
                          <input
                            type="checkbox"
                            aria-label={`Select ${product.title}`}
                            checked={selected.has(product.id)}
                            onChange={(e) => toggle(product.id, e.target.checked)}
                          />
                        </td>
                      )}
                      <td>
                        {product.thumbnailUrl ? (
                          // biome-ignore lint/performance/noImgElement: the API serves sized thumbnails already
                          <img className={styles.thumb} src={product.thumbnailUrl} alt="" loading="lazy" />
                        ) : (
                          <span className={styles.thumbEmpty} aria-hidden="true" />
                        )}
                      </td>
                      <td>
                        <Link href={`/products/${product.id}`}>{product.title}</Link>
                        <div className="muted mono">{product.handle}</div>
                      </td>
                      <td>
                        <span className="row">
                          <StatusBadge status={product.status} />
                          {product.has3d && <span className="badge info">3D</span>}
                        </span>
                      </td>
                      <td className="num">{product.variantCount}</td>
                      <td className="num">{priceRange(product)}</td>
                      <td>
                        {product.variantCount === 0 ? (
                          <span className="muted">—</span>
                        ) : product.inStock ? (
                          <span className="badge success">In stock</span>
                        ) : (
                          <span className="badge danger">Out of stock</span>
                        )}
                      </td>
                      <td>{formatDateTime(product.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className={styles.listFooter}>
              {products.nextCursor ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => void loadMore()}
                  disabled={products.loadingMore}
                >
                  {products.loadingMore ? 'Loading…' : 'Load more'}
                </button>
              ) : (
                <span className="muted">
                  {items.length} product{items.length === 1 ? '' : 's'}
                </span>
              )}
            </div>
          </>
        )
      )}

      {canEdit && (
        <BulkEditDialog
          open={bulkOpen}
          productIds={[...selected]}
          onClose={() => setBulkOpen(false)}
          onDone={() => {
            setBulkOpen(false);
            reload();
          }}
        />
      )}
    </div>
  );
}
