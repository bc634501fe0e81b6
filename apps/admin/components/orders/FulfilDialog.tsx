'use client';

import { type FormEvent, useState } from 'react';
import { Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import type { OrderDialogProps } from './types';
import { useOrderAction } from './useOrderAction';

const isWebUrl = (text: string) => {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

/** Mark the order shipped, with its tracking; the customer gets the shipping email. */
export function FulfilDialog({ order, onClose, onDone }: OrderDialogProps) {
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [trackingUrl, setTrackingUrl] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const action = useOrderAction(order);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (action.busy) return;
    const url = trackingUrl.trim();
    if (url && !isWebUrl(url)) {
      setUrlError('Enter a full web address starting with https://');
      return;
    }
    setUrlError(null);
    const updated = await action.run('fulfil', {
      ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
      ...(trackingNumber.trim() ? { trackingNumber: trackingNumber.trim() } : {}),
      ...(url ? { trackingUrl: url } : {}),
    });
    if (updated) onDone(updated, `Order #${order.number} marked as shipped.`);
  };

  const field = (name: string) => action.fields[name];
  const urlProblem = urlError ?? field('trackingUrl');
  return (
    <FormDialog
      title={`Ship order #${order.number}`}
      onClose={onClose}
      onSubmit={submit}
      busy={action.busy}
      error={action.error}
      submitLabel="Mark as shipped"
      busyLabel="Saving…"
    >
      <p>
        The customer is emailed that the order is on its way, with the tracking below.
        {order.paymentStatus === 'authorized' && ' The authorized payment is captured first.'}
      </p>
      <Field label="Carrier" error={field('carrier')}>
        <input
          type="text"
          value={carrier}
          onChange={(e) => setCarrier(e.target.value)}
          maxLength={100}
          autoComplete="off"
        />
      </Field>
      <Field label="Tracking number" error={field('trackingNumber')}>
        <input
          type="text"
          value={trackingNumber}
          onChange={(e) => setTrackingNumber(e.target.value)}
          maxLength={100}
          autoComplete="off"
        />
      </Field>
      <Field label="Tracking URL (optional)" error={urlProblem}>
        <input
          type="url"
          value={trackingUrl}
          onChange={(e) => setTrackingUrl(e.target.value)}
          maxLength={2000}
          placeholder="https://"
        />
      </Field>
    </FormDialog>
  );
}
