'use client';

import { type FormEvent, type ReactNode, type Ref, useId } from 'react';
import { Dialog, type DialogSize } from './Dialog';

/**
 * A dialog around one form: the API's refusal on top (in its words, so it stays readable), the
 * fields, and Cancel / submit in the footer, both disabled while the request runs so it is not
 * sent twice.
 */
export function FormDialog({
  open = true,
  title,
  onClose,
  onSubmit,
  busy,
  error,
  submitLabel,
  busyLabel = 'Saving…',
  cancelLabel = 'Cancel',
  danger = false,
  canSubmit = true,
  size,
  formRef,
  children,
}: {
  open?: boolean;
  title: string;
  onClose: () => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void | Promise<void>;
  busy: boolean;
  /** What stopped the last submit, shown above the fields. */
  error?: string | null;
  submitLabel: string;
  busyLabel?: string;
  cancelLabel?: string;
  /** Red submit button, for what cannot be undone (refunds, cancelling). */
  danger?: boolean;
  /** False while the form cannot be sent yet (nothing chosen). */
  canSubmit?: boolean;
  size?: DialogSize;
  formRef?: Ref<HTMLFormElement>;
  children: ReactNode;
}) {
  const formId = useId();
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      size={size}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            {cancelLabel}
          </button>
          <button
            type="submit"
            form={formId}
            className={`button ${danger ? 'danger solid' : 'primary'}`}
            disabled={busy || !canSubmit}
          >
            {busy ? busyLabel : submitLabel}
          </button>
        </>
      }
    >
      <form id={formId} ref={formRef} className="stack" onSubmit={(event) => void onSubmit(event)} noValidate>
        {error && (
          <p className="notice danger" role="alert">
            {error}
          </p>
        )}
        {children}
      </form>
    </Dialog>
  );
}
