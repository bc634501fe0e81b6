'use client';

import { type ReactNode, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { isApiError } from '@/lib/api';

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
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  danger?: boolean;
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
      setError(isApiError(caught) ? caught.detail : 'That did not work. Try again.');
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
