'use client';

import type { AdminCustomerList } from '@e3d/contracts';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { FirstPageButton, ListLoadError } from '@/components/ui/ListLoadError';
import loading from '@/components/ui/loading.module.css';
import { NoAccess } from '@/components/ui/NoAccess';
import { PageHeader } from '@/components/ui/PageHeader';
import { Pager } from '@/components/ui/Pager';
import { SearchForm } from '@/components/ui/SearchForm';
import { TableSkeleton } from '@/components/ui/TableSkeleton';
import { formatDate, formatDateTime, formatNumber, money } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { useKeysetPages } from '@/lib/use-keyset-pages';
import { CUSTOMER_STATUSES, CustomerStatusBadge } from './CustomerStatusBadge';
import {
  type CustomerFilters,
  customersApiPath,
  customersUrl,
  EMPTY_CUSTOMER_FILTERS,
  hasCustomerFilters,
  readCustomerFilters,
} from './customer-filters';
import styles from './customers.module.css';

/** /customers: registered customers, newest first, searched and filtered from the URL. */
export function CustomerList() {
  const { can } = useStaff();
  if (!can('customers:read')) return <NoAccess title="Customers" what="customers" />;
  return <CustomerListView />;
}

function CustomerListView() {
  const router = useRouter();
  const params = useSearchParams();
  const filters = useMemo(() => readCustomerFilters(new URLSearchParams(params.toString())), [params]);
  const customers = useApiData<AdminCustomerList>(
    customersApiPath(filters),
    'The customers could not be loaded.',
  );

  const go = (next: CustomerFilters) => router.push(customersUrl(next), { scroll: false });
  const apply = (change: Partial<CustomerFilters>) => go({ ...filters, ...change, cursor: '' });

  const page = customers.data;
  const pages = useKeysetPages(filters.cursor, (cursor) => go({ ...filters, cursor }));
  const firstPage = filters.cursor ? () => pages.go('') : undefined;

  return (
    <>
      <PageHeader
        title="Customers"
        description="Customer accounts, newest first. Guest orders are under Orders."
      />
      <section className={`card ${styles.filters}`} aria-label="Filter customers">
        <SearchForm applied={filters.q} onSearch={(q) => apply({ q })} placeholder="Email or name" />
        <label className="field">
          <span>Status</span>
          <select
            value={filters.status}
            onChange={(e) => apply({ status: e.target.value as CustomerFilters['status'] })}
          >
            <option value="">Any status</option>
            {CUSTOMER_STATUSES.map((status) => (
              <option key={status.value} value={status.value}>
                {status.label}
              </option>
            ))}
          </select>
        </label>
        {hasCustomerFilters(filters) && (
          <button type="button" className="button small" onClick={() => go(EMPTY_CUSTOMER_FILTERS)}>
            Clear filters
          </button>
        )}
      </section>

      <p className="visually-hidden" aria-live="polite">
        {customers.loading ? 'Loading customers…' : page ? `${page.items.length} customers shown.` : ''}
      </p>

      {customers.errorMessage ? (
        <ListLoadError message={customers.errorMessage} onRetry={customers.reload} onFirstPage={firstPage} />
      ) : !page ? (
        <TableSkeleton columns={7} label="Loading customers" />
      ) : page.items.length === 0 ? (
        <div className="card">
          <p>{hasCustomerFilters(filters) ? 'No customers match these filters.' : 'No customers yet.'}</p>
          {firstPage && <FirstPageButton onClick={firstPage} />}
        </div>
      ) : (
        <div
          className={`table-wrap${customers.loading ? ` ${loading.stale}` : ''}`}
          aria-busy={customers.loading}
        >
          <table className="table">
            <caption className="visually-hidden">Customers</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col" className="num">
                  Total spent
                </th>
                <th scope="col">Last order</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((customer) => (
                <tr key={customer.id}>
                  <td>
                    <Link href={`/customers/${customer.id}`} className={styles.nameLink}>
                      {customer.name || (customer.status === 'deleted' ? 'Anonymised customer' : 'No name')}
                    </Link>
                  </td>
                  <td className={styles.email}>{customer.email}</td>
                  <td>
                    <CustomerStatusBadge status={customer.status} />
                  </td>
                  <td className="num">{formatNumber(customer.ordersCount)}</td>
                  <td className="num">{money(customer.totalSpent)}</td>
                  <td>{formatDateTime(customer.lastOrderAt)}</td>
                  <td>{formatDate(customer.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page && <Pager pages={pages} nextCursor={page.nextCursor} busy={customers.loading} />}
    </>
  );
}
