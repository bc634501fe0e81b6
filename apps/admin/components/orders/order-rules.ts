import { formatMoney, humanize } from '@/lib/format';
import type { AdminOrder, EmailKind, OrderHistoryEntry, OrderStatus } from './types';

/**
 * The order desk's reading of the API's rules (packages/commerce orders/actions.ts), so staff
 * are only offered what the API would accept. The API checks again and its refusal is shown.
 */

/** Money captured and not yet refunded (or being refunded right now). */
export function refundableAmount(order: AdminOrder): number {
  const pending = order.refunds.filter((r) => r.status === 'pending').reduce((sum, r) => sum + r.amount, 0);
  return Math.max(0, order.amountCaptured - order.amountRefunded - pending);
}

export const canCapture = (order: AdminOrder) =>
  order.paymentStatus === 'authorized' && order.status !== 'canceled';

export const canRefund = (order: AdminOrder) =>
  ['paid', 'fulfilled', 'delivered'].includes(order.status) &&
  order.paymentStatus !== 'authorized' &&
  refundableAmount(order) > 0;

export const canFulfil = (order: AdminOrder) => order.status === 'paid';
export const canMarkDelivered = (order: AdminOrder) => order.status === 'fulfilled';
export const canCancel = (order: AdminOrder) => order.status === 'pending' || order.status === 'paid';

export const EMAIL_LABELS: Record<EmailKind, string> = {
  confirmation: 'Order confirmation',
  shipped: 'Shipping confirmation (with tracking)',
  canceled: 'Cancellation notice',
  refund: 'Refund notice (latest refund)',
};

/** The emails that make sense for the order as it stands (the API refuses the others). */
export function applicableEmails(order: AdminOrder): EmailKind[] {
  const kinds: EmailKind[] = [];
  if (order.status !== 'pending') kinds.push('confirmation');
  if (order.fulfilledAt) kinds.push('shipped');
  if (order.status === 'canceled') kinds.push('canceled');
  if (order.refunds.some((r) => r.status === 'succeeded')) kinds.push('refund');
  return kinds;
}

/** Where the parcel is, from the order's status (the list has no fulfilment record of its own). */
export function fulfilmentOf(
  status: OrderStatus,
  fulfilledAt?: string | null,
): {
  label: string;
  tone: '' | 'success' | 'warning' | 'info';
} {
  if (status === 'delivered') return { label: 'Delivered', tone: 'success' };
  if (status === 'fulfilled') return { label: 'Shipped', tone: 'info' };
  if (status === 'paid') return { label: 'Unfulfilled', tone: 'warning' };
  if (fulfilledAt) return { label: 'Shipped', tone: 'info' };
  return { label: 'Not shipped', tone: '' };
}

const ACTORS: Record<string, string> = {
  staff: 'Staff',
  customer: 'Customer',
  system: 'System',
  provider: 'Payment provider',
};

export const actorLabel = (actorType: string) => ACTORS[actorType] ?? humanize(actorType);

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : null);
const amount = (value: unknown, currency: string) =>
  typeof value === 'number' ? formatMoney(value, currency) : null;

/** One history entry as a sentence, with the details its data carries. */
export function describeEvent(
  entry: OrderHistoryEntry,
  currency: string,
): { title: string; detail: string | null } {
  const data = entry.data;
  switch (entry.type) {
    case 'placed':
      return { title: 'Order placed', detail: null };
    case 'paid':
      return {
        title: data.authorized ? 'Payment authorized' : 'Payment received',
        detail: null,
      };
    case 'captured':
      return { title: 'Payment captured', detail: amount(data.amount, currency) };
    case 'fulfilled': {
      const tracking = (data.tracking ?? {}) as Record<string, unknown>;
      const parts = [text(tracking.carrier), text(tracking.number)].filter(Boolean);
      return { title: 'Shipped', detail: parts.length ? parts.join(' · ') : null };
    }
    case 'delivered':
      return { title: 'Delivered', detail: null };
    case 'canceled':
      return { title: 'Order canceled', detail: text(data.reason) ? humanize(String(data.reason)) : null };
    case 'refunded':
      return { title: 'Fully refunded', detail: null };
    case 'refund': {
      const reason = text(data.reason);
      const sum = amount(data.amount, currency);
      return {
        title: data.full ? 'Refund (full)' : 'Refund',
        detail: [sum, reason].filter(Boolean).join(' · ') || null,
      };
    }
    case 'refund_failed':
      return { title: 'Refund failed at the payment provider', detail: null };
    case 'email_queued': {
      const kind = text(data.kind) as EmailKind | null;
      return {
        title: data.resend ? 'Email sent again' : 'Email sent',
        detail: kind ? (EMAIL_LABELS[kind] ?? humanize(kind)) : null,
      };
    }
    case 'payment_requires_action':
      return { title: 'Payment waiting for the customer (authentication)', detail: null };
    case 'payment_failed':
      return {
        title: data.status === 'canceled' ? 'Payment canceled' : 'Payment declined',
        detail: text(data.declineCode) ? `Decline code: ${String(data.declineCode)}` : null,
      };
    case 'payment_voided':
      return { title: 'Payment authorization released', detail: null };
    case 'payment_after_cancel':
      return { title: 'Payment arrived after the order was canceled', detail: null };
    default: {
      const change =
        entry.fromStatus || entry.toStatus
          ? `${entry.fromStatus ? humanize(entry.fromStatus) : '—'} → ${entry.toStatus ? humanize(entry.toStatus) : '—'}`
          : null;
      return { title: humanize(entry.type), detail: change };
    }
  }
}
