'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { FirstPageButton, ListLoadError } from '@/components/ui/ListLoadError';
import loading from '@/components/ui/loading.module.css';
import { NoAccess } from '@/components/ui/NoAccess';
import { PageHeader } from '@/components/ui/PageHeader';
import { Pager } from '@/components/ui/Pager';
import { SearchForm } from '@/components/ui/SearchForm';
import { TableSkeleton } from '@/components/ui/TableSkeleton';
import { humanize } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { OrdersTable } from './OrdersTable';
import {
  EMPTY_FILTERS,
  filtersUrl,
  hasFilters,
  type OrderFilters,
  ordersApiPath,
  readFilters,
} from './order-filters';
import styles from './orders.module.css';
import { ORDER_STATUSES, type OrderList as OrderListPage, PAYMENT_STATUSES } from './types';

/** /orders: every order, newest first, filtered and searched from the URL, a page at a time. */
export function OrderList() {
  const { can } = useStaff();
  if (!can('orders:read')) return <NoAccess title="Orders" what="orders" />;
  return <OrderListView />;
}

function OrderListView() {
  const canSeeCustomers = useStaff().can('customers:read');
  const router = useRouter();
  const params = useSearchParams();
  const filters = useMemo(() => readFilters(new URLSearchParams(params.toString())), [params]);
  const orders = useApiData<OrderListPage>(ordersApiPath(filters), 'The orders could not be loaded.');

  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  useEffect(() => {
    setFrom(filters.from);
    setTo(filters.to);
  }, [filters.from, filters.to]);

  const go = (next: OrderFilters) => router.push(filtersUrl(next), { scroll: false });
  /** A new filter starts again from the first page. */
  const apply = (change: Partial<OrderFilters>) => go({ ...filters, ...change, cursor: '' });

  const rangeError = from && to && from > to ? 'The end date is before the start date.' : null;
  /** Applies the typed range once it is whole and sane. */
  const applyDates = (nextFrom: string, nextTo: string) => {
    if (nextFrom && nextTo && nextFrom > nextTo) return;
    if (nextFrom !== filters.from || nextTo !== filters.to) apply({ from: nextFrom, to: nextTo });
  };
  const changeDate = (which: 'from' | 'to', value: string) => {
    if (which === 'from') setFrom(value);
    else setTo(value);
    // A half-typed date reads as '': only a whole date applies while typing; an emptied field
    // applies when the field is left (onBlur), so editing one part does not wipe the others.
    if (value) applyDates(which === 'from' ? value : from, which === 'to' ? value : to);
  };

  const page = orders.data;
  const pages = useKeysetPages(filters.cursor, (cursor) => go({ ...filters, cursor }));
  const firstPage = filters.cursor ? () => pages.go('') : undefined;

  return (
    <>
      <PageHeader
        title="Orders"
        description="Newest first. Filters and search are kept in the address, so a view can be shared."
      />

      <section className={`card ${styles.filters}`} aria-label="Filter orders">
        <SearchForm
          applied={filters.q}
          onSearch={(q) => apply({ q })}
          placeholder="Order number, email or name"
        />
        <div className={styles.filterGrid}>
          <label className="field">
            <span>Status</span>
            <select
              value={filters.status}
              onChange={(e) => apply({ status: e.target.value as OrderFilters['status'] })}
            >
              <option value="">Any status</option>
              {ORDER_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {humanize(status)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Payment status</span>
            <select
              value={filters.paymentStatus}
              onChange={(e) => apply({ paymentStatus: e.target.value as OrderFilters['paymentStatus'] })}
            >
              <option value="">Any payment status</option>
              {PAYMENT_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {humanize(status)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Placed from</span>
            <input
              type="date"
              value={from}
              max={to || undefined}
              onChange={(e) => changeDate('from', e.target.value)}
              onBlur={() => applyDates(from, to)}
              aria-invalid={rangeError ? true : undefined}
              aria-describedby={rangeError ? 'order-date-error' : undefined}
            />
          </label>
          <label className="field">
            <span>Placed to</span>
            <input
              type="date"
              value={to}
              min={from || undefined}
              onChange={(e) => changeDate('to', e.target.value)}
              onBlur={() => applyDates(from, to)}
              aria-invalid={rangeError ? true : undefined}
              aria-describedby={rangeError ? 'order-date-error' : undefined}
            />
          </label>
        </div>
        {rangeError && (
          <p id="order-date-error" className={styles.fieldError} role="alert">
            {rangeError}
          </p>
        )}
        {filters.customerId && (
          <p className="row">
            <span className="badge info">One customer’s orders</span>
            {canSeeCustomers && <Link href={`/customers/${filters.customerId}`}>View the customer</Link>}
            <button type="button" className="button small" onClick={() => apply({ customerId: '' })}>
              Show every customer
            </button>
          </p>
        )}
        {hasFilters(filters) && (
          <div>
            <button type="button" className="button small" onClick={() => go(EMPTY_FILTERS)}>
              Clear filters
            </button>
          </div>
        )}
      </section>

      <p className="visually-hidden" aria-live="polite">
        {orders.loading ? 'Loading orders…' : page ? `${page.items.length} orders shown.` : ''}
      </p>

      {orders.errorMessage ? (
        <ListLoadError message={orders.errorMessage} onRetry={orders.reload} onFirstPage={firstPage} />
      ) : !page ? (
        <TableSkeleton columns={7} label="Loading orders" />
      ) : page.items.length === 0 ? (
        <div className="card">
          <p>{hasFilters(filters) ? 'No orders match these filters.' : 'No orders yet.'}</p>
          {firstPage && <FirstPageButton onClick={firstPage} />}
        </div>
      ) : (
        <div aria-busy={orders.loading} className={orders.loading ? loading.stale : undefined}>
          <OrdersTable orders={page.items} caption="Orders" />
        </div>
      )}

      {page && <Pager pages={pages} nextCursor={page.nextCursor} busy={orders.loading} />}
    </>
  );
}
