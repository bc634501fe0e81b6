'use client';

import { useState } from 'react';
import { useToasts } from '@/components/ui/Toasts';
import { CancelDialog } from './CancelDialog';
import { CaptureDialog } from './CaptureDialog';
import { FulfilDialog } from './FulfilDialog';
import {
  applicableEmails,
  canCancel,
  canCapture,
  canFulfil,
  canMarkDelivered,
  canRefund,
} from './order-rules';
import styles from './orders.module.css';
import { RefundDialog } from './RefundDialog';
import { ResendEmailDialog } from './ResendEmailDialog';
import type { AdminOrder } from './types';
import { OrderStaleContext, useOrderAction } from './useOrderAction';

type OpenDialog = 'capture' | 'refund' | 'fulfil' | 'cancel' | 'resend' | null;

/**
 * What staff with orders:write can do next to this order; only the actions its state allows are
 * offered. Each dialog is mounted afresh per opening (fresh fields, a fresh idempotency key).
 */
export function OrderActions({
  order,
  onUpdated,
  onStale,
}: {
  order: AdminOrder;
  onUpdated: (order: AdminOrder) => void;
  /** Reload the order (after a conflict, the page's copy is outdated). */
  onStale: () => void;
}) {
  const { notify } = useToasts();
  const [open, setOpen] = useState<OpenDialog>(null);
  const deliver = useOrderAction(order, onStale);

  const done = (updated: AdminOrder, message: string) => {
    setOpen(null);
    onUpdated(updated);
    notify(message);
  };
  const close = () => setOpen(null);

  const markDelivered = async () => {
    if (deliver.busy) return;
    const updated = await deliver.run('deliver', {});
    if (updated) done(updated, `Order #${order.number} marked as delivered.`);
  };

  const emails = applicableEmails(order);
  const offered = {
    capture: canCapture(order),
    refund: canRefund(order),
    fulfil: canFulfil(order),
    deliver: canMarkDelivered(order),
    cancel: canCancel(order),
    resend: emails.length > 0,
  };
  if (!Object.values(offered).some(Boolean)) return null;

  return (
    <OrderStaleContext.Provider value={onStale}>
      <section className={styles.actions} aria-label="Order actions">
        {offered.capture && (
          <button type="button" className="button primary" onClick={() => setOpen('capture')}>
            Capture payment
          </button>
        )}
        {offered.fulfil && (
          <button type="button" className="button primary" onClick={() => setOpen('fulfil')}>
            Fulfil
          </button>
        )}
        {offered.deliver && (
          <button
            type="button"
            className="button"
            onClick={() => void markDelivered()}
            disabled={deliver.busy}
          >
            {deliver.busy ? 'Saving…' : 'Mark delivered'}
          </button>
        )}
        {offered.refund && (
          <button type="button" className="button" onClick={() => setOpen('refund')}>
            Refund
          </button>
        )}
        {offered.resend && (
          <button type="button" className="button" onClick={() => setOpen('resend')}>
            Resend email
          </button>
        )}
        {offered.cancel && (
          <button type="button" className="button danger" onClick={() => setOpen('cancel')}>
            Cancel order
          </button>
        )}
      </section>
      {deliver.error && (
        <p className="notice danger" role="alert">
          {deliver.error}
        </p>
      )}
      {open === 'capture' && <CaptureDialog order={order} onClose={close} onDone={done} />}
      {open === 'refund' && <RefundDialog order={order} onClose={close} onDone={done} />}
      {open === 'fulfil' && <FulfilDialog order={order} onClose={close} onDone={done} />}
      {open === 'cancel' && <CancelDialog order={order} onClose={close} onDone={done} />}
      {open === 'resend' && <ResendEmailDialog order={order} onClose={close} onDone={done} />}
    </OrderStaleContext.Provider>
  );
}
