'use client';

import { type ReactNode, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { errorDetail } from '@/lib/use-api-data';

const defaultErrorMessage = (error: unknown) => errorDetail(error, 'That did not work. Try again.');

/**
 * Asks before a consequential action and runs it; the API's refusal stays in the dialog (in its
 * words) so the person can read it, instead of a toast that fades.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  busyLabel = 'Working…',
  danger = false,
  errorMessage = defaultErrorMessage,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  danger?: boolean;
  /** The refusal in words for this action (defaults to the API's `detail`). */
  errorMessage?: (error: unknown) => string;
  /** Resolves when done (the dialog closes); throws to keep it open with the error shown. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      footer={
        <>
          <button type="button" className="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className={`button ${danger ? 'danger solid' : 'primary'}`}
            onClick={() => void confirm()}
            disabled={busy}
          >
            {busy ? busyLabel : confirmLabel}
          </button>
        </>
      }
    >
      <div className="stack">{children}</div>
      {error && (
        <p className="notice danger" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
