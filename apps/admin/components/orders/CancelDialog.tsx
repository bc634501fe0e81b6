'use client';

import { type FormEvent, useState } from 'react';
import { Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import { formatMoney } from '@/lib/format';
import type { OrderDialogProps } from './types';
import { useOrderAction } from './useOrderAction';

/** Cancel an order that has not shipped; says what happens to the money before it does. */
export function CancelDialog({ order, onClose, onDone }: OrderDialogProps) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const action = useOrderAction(order);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (action.busy) return;
    if (!reason.trim()) {
      setReasonError('Say why the order is canceled (kept in the order’s history).');
      return;
    }
    setReasonError(null);
    const updated = await action.run('cancel', { reason: reason.trim() });
    if (updated) onDone(updated, `Order #${order.number} canceled.`);
  };

  const captured = order.amountCaptured - order.amountRefunded;
  const money =
    order.paymentStatus === 'authorized'
      ? 'The payment authorization is released; the customer is not charged.'
      : captured > 0
        ? `${formatMoney(captured, order.currency)} is refunded to the customer.`
        : 'No money was taken, so nothing is refunded.';
  const problem = reasonError ?? action.fields.reason;
  return (
    <FormDialog
      title={`Cancel order #${order.number}?`}
      onClose={onClose}
      onSubmit={submit}
      busy={action.busy}
      error={action.error}
      submitLabel="Yes, cancel order"
      busyLabel="Canceling…"
      cancelLabel="Keep order"
      danger
    >
      <p>
        {money} The items go back into stock{order.status === 'paid' && ' and the customer is emailed'}. This
        cannot be undone.
      </p>
      <Field label="Reason" error={problem}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} required />
      </Field>
    </FormDialog>
  );
}
