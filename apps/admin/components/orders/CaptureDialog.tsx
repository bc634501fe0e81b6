'use client';

import { Dialog } from '@/components/ui/Dialog';
import { formatMoney } from '@/lib/format';
import type { OrderDialogProps } from './types';
import { useOrderAction } from './useOrderAction';

/** Take the authorized money now (manual capture), in full. */
export function CaptureDialog({ order, onClose, onDone }: OrderDialogProps) {
  const action = useOrderAction(order);
  const total = formatMoney(order.grandTotal, order.currency);
  const capture = async () => {
    if (action.busy) return;
    const updated = await action.run('capture', {});
    if (updated) onDone(updated, `Captured ${formatMoney(updated.amountCaptured, updated.currency)}.`);
  };
  return (
    <Dialog
      open
      title={`Capture payment for order #${order.number}?`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={action.busy}>
            Not now
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => void capture()}
            disabled={action.busy}
          >
            {action.busy ? 'Capturing…' : `Capture ${total}`}
          </button>
        </>
      }
    >
      <p>The customer’s card is charged {total}, the amount that was authorized at checkout.</p>
      {action.error && (
        <p className="notice danger" role="alert">
          {action.error}
        </p>
      )}
    </Dialog>
  );
}
