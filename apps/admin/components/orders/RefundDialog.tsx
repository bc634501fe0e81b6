'use client';

import { type FormEvent, useState } from 'react';
import { Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import { newIdempotencyKey } from '@/lib/api';
import { amountInput, currencyDigits, formatMoney, parseAmount } from '@/lib/format';
import { refundableAmount } from './order-rules';
import type { OrderDialogProps } from './types';
import { useOrderAction } from './useOrderAction';

/**
 * Refund all or part of what is left. The Idempotency-Key is made once per opening of the dialog:
 * a double click or a retry after a dropped connection refunds once, and a new opening (a new
 * decision) gets a new key.
 */
export function RefundDialog({ order, onClose, onDone }: OrderDialogProps) {
  const digits = currencyDigits(order.currency);
  const left = refundableAmount(order);
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [amountText, setAmountText] = useState(() => amountInput(left, digits));
  const [reason, setReason] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const action = useOrderAction(order);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (action.busy) return;
    const amount = parseAmount(amountText, digits);
    if (amount === null || amount <= 0) {
      setAmountError(`Enter an amount above zero, like ${amountInput(left, digits)}.`);
      return;
    }
    if (amount > left) {
      setAmountError(`At most ${formatMoney(left, order.currency)} can be refunded.`);
      return;
    }
    setAmountError(null);
    const updated = await action.run(
      'refunds',
      { amount, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      { idempotencyKey },
    );
    if (updated) onDone(updated, `Refunded ${formatMoney(amount, order.currency)}.`);
  };

  const amountProblem = amountError ?? action.fields.amount;
  const parsed = parseAmount(amountText, digits);
  const full = parsed === left;
  return (
    <FormDialog
      title={`Refund order #${order.number}`}
      onClose={onClose}
      onSubmit={submit}
      busy={action.busy}
      error={action.error}
      submitLabel="Issue refund"
      busyLabel="Refunding…"
      danger
    >
      <p>
        {formatMoney(left, order.currency)} of {formatMoney(order.amountCaptured, order.currency)} captured
        can still be refunded. The money goes back through{' '}
        {order.paymentProvider === 'stripe' ? 'Stripe' : 'the payment provider'} and the customer is emailed.
      </p>
      <label className="field">
        <span>Amount ({order.currency})</span>
        <input
          type="text"
          inputMode="decimal"
          value={amountText}
          onChange={(e) => setAmountText(e.target.value)}
          aria-invalid={amountProblem ? true : undefined}
          aria-describedby="refund-amount-hint"
          required
        />
        {amountProblem ? (
          <span id="refund-amount-hint" className="error">
            {amountProblem}
          </span>
        ) : (
          <span id="refund-amount-hint" className="hint">
            {full
              ? 'A full refund: the order becomes refunded.'
              : 'A partial refund keeps the order’s status.'}
          </span>
        )}
      </label>
      <Field label="Reason (optional)" error={action.fields.reason}>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Field>
    </FormDialog>
  );
}
