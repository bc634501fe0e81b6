'use client';

import { createContext, useContext, useState } from 'react';
import { api, fieldErrors, isApiError, type RequestOptions } from '@/lib/api';
import { formatMoney } from '@/lib/format';
import type { AdminOrder } from './types';

/** The API's refusal in words for staff; refund limits come back in minor units, so say them as money. */
export function actionErrorText(error: unknown, currency: string): string {
  if (!isApiError(error)) return 'The shop did not answer. Check the order before trying again.';
  const refundable = error.extensions.refundable;
  if (error.code === 'refund_exceeds_captured' && typeof refundable === 'number') {
    return refundable > 0
      ? `At most ${formatMoney(refundable, currency)} can be refunded.`
      : 'Nothing is left to refund.';
  }
  if (error.status === 0) {
    return 'The connection dropped before the shop answered. Reload the order to see whether it went through.';
  }
  return error.detail;
}

/** Reloads the order: an action refused as a conflict means the page shows an outdated order. */
export const OrderStaleContext = createContext<() => void>(() => {});

/**
 * One order action (POST /api/admin/orders/:id/<action>): busy while it runs, the API's error and
 * field errors afterwards, the updated order on success.
 */
export function useOrderAction(order: AdminOrder, onStale?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const staleFromContext = useContext(OrderStaleContext);
  const reloadOrder = onStale ?? staleFromContext;

  const run = async (
    action: string,
    body: unknown,
    options?: Pick<RequestOptions, 'idempotencyKey'>,
  ): Promise<AdminOrder | null> => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      return await api.post<AdminOrder>(`/api/admin/orders/${order.id}/${action}`, body, options);
    } catch (caught) {
      setError(actionErrorText(caught, order.currency));
      setFields(fieldErrors(caught));
      // Someone else changed the order (or the answer was lost): show it as it is now.
      if (isApiError(caught) && (caught.status === 409 || caught.status === 0)) reloadOrder();
      return null;
    } finally {
      setBusy(false);
    }
  };

  return { busy, error, fields, run };
}
