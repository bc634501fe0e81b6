'use client';

import { type ReactNode, useEffect, useRef } from 'react';
import styles from './Dialog.module.css';

export type DialogSize = 'medium' | 'large' | 'xlarge';

/** A modal on the native <dialog> (focus trap, Escape and backdrop handled by the browser). */
export function Dialog({
  open,
  title,
  onClose,
  children,
  footer,
  size = 'medium',
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  /** `large`/`xlarge` for content that needs room side by side (a preview table, a rate grid). */
  size?: DialogSize;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-label={title}
      className={size === 'medium' ? undefined : styles[size]}
    >
      {open && (
        <div className={styles.body}>
          <h2>{title}</h2>
          {children}
          {footer && <div className={styles.footer}>{footer}</div>}
        </div>
      )}
    </dialog>
  );
}
