'use client';

import { useEffect, useId, useRef } from 'react';
import ui from '../cart/ui.module.css';
import styles from './BankChallenge.module.css';

/**
 * The test provider's stand-in for the bank's 3-D Secure page: the shopper passes or fails the
 * challenge. A modal dialog (focus stays inside; Esc cancels).
 */
export function BankChallenge({
  amount,
  shopName,
  card,
  busy,
  onAnswer,
  onCancel,
}: {
  amount: string;
  shopName: string;
  card: string;
  busy: boolean;
  onAnswer: (authenticated: boolean) => void;
  onCancel: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className={styles.dialog}
      aria-labelledby={titleId}
      aria-describedby={textId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
      data-testid="bank-challenge"
    >
      <div className={styles.bank} aria-hidden="true">
        <svg
          aria-hidden="true"
          width="20"
          height="20"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M3 10h18M5 10v8M19 10v8M9 10v8M15 10v8M3 20h18M12 3 3 8h18l-9-5Z" />
        </svg>
        Test Bank · 3-D Secure
      </div>
      <h2 id={titleId} className={styles.title}>
        Confirm with your bank
      </h2>
      <p id={textId}>
        {shopName} asks to charge <strong>{amount}</strong> to your card ending in <strong>{card}</strong>.
        Your bank needs you to confirm this payment.
      </p>
      <p className={`${ui.muted} ${ui.small}`}>
        This is the test payment provider: choose whether the bank’s check passes or fails.
      </p>
      <div className={styles.actions} aria-busy={busy}>
        <button type="button" className={ui.primary} disabled={busy} onClick={() => onAnswer(true)}>
          {busy ? <span className={ui.spinner} aria-hidden="true" /> : null}
          Confirm payment
        </button>
        <button type="button" className={ui.secondary} disabled={busy} onClick={() => onAnswer(false)}>
          Fail authentication
        </button>
      </div>
      <button
        type="button"
        className={`${ui.linkButton} ${styles.cancel}`}
        disabled={busy}
        onClick={onCancel}
      >
        Cancel and go back
      </button>
    </dialog>
  );
}
