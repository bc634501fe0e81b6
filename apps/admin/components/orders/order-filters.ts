import { query } from '@/lib/api';
import { dayStartIso } from '@/lib/format';
import { ORDER_STATUSES, type OrderStatus, PAYMENT_STATUSES, type PaymentStatus } from './types';

/** The order list's filters as they live in the URL (`/orders?status=paid&from=2026-01-01`). */
export interface OrderFilters {
  q: string;
  status: OrderStatus | '';
  paymentStatus: PaymentStatus | '';
  /** YYYY-MM-DD, in the browser's time zone, both days included. */
  from: string;
  to: string;
  /** Only this customer's orders (linked from a customer page). */
  customerId: string;
  cursor: string;
}

export const EMPTY_FILTERS: OrderFilters = {
  q: '',
  status: '',
  paymentStatus: '',
  from: '',
  to: '',
  customerId: '',
  cursor: '',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | '' =>
  value && (allowed as readonly string[]).includes(value) ? (value as T) : '';

export function readFilters(params: URLSearchParams): OrderFilters {
  const day = (key: string) => {
    const value = params.get(key) ?? '';
    return DAY.test(value) ? value : '';
  };
  return {
    q: params.get('q') ?? '',
    status: pick(params.get('status'), ORDER_STATUSES),
    paymentStatus: pick(params.get('paymentStatus'), PAYMENT_STATUSES),
    from: day('from'),
    to: day('to'),
    customerId: UUID.test(params.get('customerId') ?? '') ? (params.get('customerId') ?? '') : '',
    cursor: params.get('cursor') ?? '',
  };
}

/** The page's own URL for these filters. */
export const filtersUrl = (filters: OrderFilters) =>
  `/orders${query({
    q: filters.q.trim(),
    status: filters.status,
    paymentStatus: filters.paymentStatus,
    from: filters.from,
    to: filters.to,
    customerId: filters.customerId,
    cursor: filters.cursor,
  })}`;

export const PAGE_SIZE = 25;

/** GET /api/admin/orders for these filters: the date range covers whole days where staff are. */
export const ordersApiPath = (filters: OrderFilters) =>
  `/api/admin/orders${query({
    q: filters.q.trim(),
    status: filters.status,
    paymentStatus: filters.paymentStatus,
    placedFrom: dayStartIso(filters.from),
    // The API's upper bound is exclusive: the start of the day after the last one shown.
    placedTo: dayStartIso(filters.to, 1),
    customerId: filters.customerId,
    cursor: filters.cursor,
    limit: PAGE_SIZE,
  })}`;

export const hasFilters = (filters: OrderFilters) =>
  Boolean(
    filters.q.trim() ||
      filters.status ||
      filters.paymentStatus ||
      filters.from ||
      filters.to ||
      filters.customerId,
  );
