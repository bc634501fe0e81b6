'use client';

import { type FormEvent, useState } from 'react';
import { FormDialog } from '@/components/ui/FormDialog';
import { applicableEmails, EMAIL_LABELS } from './order-rules';
import styles from './orders.module.css';
import type { EmailKind, OrderDialogProps } from './types';
import { useOrderAction } from './useOrderAction';

/** Send one of the order's emails again, to the order's email address. */
export function ResendEmailDialog({ order, onClose, onDone }: OrderDialogProps) {
  const kinds = applicableEmails(order);
  const [kind, setKind] = useState<EmailKind | undefined>(kinds.at(-1));
  const action = useOrderAction(order);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (action.busy || !kind) return;
    const updated = await action.run('resend-email', { kind });
    if (updated) onDone(updated, `${EMAIL_LABELS[kind]} sent again to ${order.email}.`);
  };

  return (
    <FormDialog
      title="Resend an email"
      onClose={onClose}
      onSubmit={submit}
      busy={action.busy}
      error={action.error}
      submitLabel="Send again"
      busyLabel="Sending…"
      canSubmit={Boolean(kind)}
    >
      <fieldset className={`stack ${styles.fieldset}`}>
        <legend>
          Which email goes to <strong>{order.email}</strong>?
        </legend>
        {kinds.map((value) => (
          <label key={value} className="row">
            <input
              type="radio"
              name="email-kind"
              value={value}
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            {EMAIL_LABELS[value]}
          </label>
        ))}
      </fieldset>
      {action.fields.kind && <p className={styles.fieldError}>{action.fields.kind}</p>}
    </FormDialog>
  );
}
