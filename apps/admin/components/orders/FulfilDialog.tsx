'use client';

import { type FormEvent, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import type { AdminOrder } from './types';
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
export function FulfilDialog({
  order,
  onClose,
  onDone,
}: {
  order: AdminOrder;
  onClose: () => void;
  onDone: (order: AdminOrder, message: string) => void;
}) {
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
    <Dialog
      open
      title={`Ship order #${order.number}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={action.busy}>
            Cancel
          </button>
          <button type="submit" form="fulfil-form" className="button primary" disabled={action.busy}>
            {action.busy ? 'Saving…' : 'Mark as shipped'}
          </button>
        </>
      }
    >
      <form id="fulfil-form" className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          The customer is emailed that the order is on its way, with the tracking below.
          {order.paymentStatus === 'authorized' && ' The authorized payment is captured first.'}
        </p>
        <label className="field">
          <span>Carrier</span>
          <input
            type="text"
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            maxLength={100}
            autoComplete="off"
            aria-invalid={field('carrier') ? true : undefined}
          />
          {field('carrier') && <span className="error">{field('carrier')}</span>}
        </label>
        <label className="field">
          <span>Tracking number</span>
          <input
            type="text"
            value={trackingNumber}
            onChange={(e) => setTrackingNumber(e.target.value)}
            maxLength={100}
            autoComplete="off"
            aria-invalid={field('trackingNumber') ? true : undefined}
          />
          {field('trackingNumber') && <span className="error">{field('trackingNumber')}</span>}
        </label>
        <label className="field">
          <span>Tracking URL (optional)</span>
          <input
            type="url"
            value={trackingUrl}
            onChange={(e) => setTrackingUrl(e.target.value)}
            maxLength={2000}
            placeholder="https://"
            aria-invalid={urlProblem ? true : undefined}
          />
          {urlProblem && <span className="error">{urlProblem}</span>}
        </label>
        {action.error && (
          <p className="notice danger" role="alert">
            {action.error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
