import type { CustomerStatus } from '@e3d/contracts';
import { query } from '@/lib/api';

/** The customer list's filters as they live in the URL (`/customers?q=anna&status=active`). */
export interface CustomerFilters {
  q: string;
  status: CustomerStatus | '';
  cursor: string;
}

export const EMPTY_CUSTOMER_FILTERS: CustomerFilters = { q: '', status: '', cursor: '' };

const STATUSES: readonly string[] = ['active', 'deactivated', 'deleted'];

export function readCustomerFilters(params: URLSearchParams): CustomerFilters {
  const status = params.get('status') ?? '';
  return {
    q: params.get('q') ?? '',
    status: STATUSES.includes(status) ? (status as CustomerStatus) : '',
    cursor: params.get('cursor') ?? '',
  };
}

export const customersUrl = (filters: CustomerFilters) =>
  `/customers${query({ q: filters.q.trim(), status: filters.status, cursor: filters.cursor })}`;

export const CUSTOMER_PAGE_SIZE = 25;

export const customersApiPath = (filters: CustomerFilters) =>
  `/api/admin/customers${query({
    q: filters.q.trim(),
    status: filters.status,
    cursor: filters.cursor,
    limit: CUSTOMER_PAGE_SIZE,
  })}`;

export const hasCustomerFilters = (filters: CustomerFilters) => Boolean(filters.q.trim() || filters.status);
