'use client';

import { useEffect, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import styles from './settings.module.css';

/**
 * Shows a webhook signing secret the one time the API hands it out, with a copy button; once
 * closed it cannot be shown again (only rotated).
 */
export function SecretReveal({
  secret,
  url,
  rotated,
  onClose,
}: {
  secret: string | null;
  url: string;
  rotated: boolean;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    if (secret) setCopied(null);
  }, [secret]);

  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <Dialog
      open={secret !== null}
      title={rotated ? 'New signing secret' : 'Webhook endpoint created'}
      onClose={onClose}
      footer={
        <button type="button" className="button primary" onClick={onClose}>
          I have stored the secret
        </button>
      }
    >
      <p>
        Signing secret for <span className="mono">{url}</span>. Store it now in the receiving app:{' '}
        <strong>it is shown only this once.</strong> If it is lost, rotate it to get a new one.
        {rotated && ' The old secret no longer works: every delivery from now on is signed with this one.'}
      </p>
      <div className={styles.secret}>
        <code data-testid="webhook-secret">{secret}</code>
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p
        role="status"
        aria-live="polite"
        className={copied === 'failed' ? 'error' : 'muted'}
        style={{ margin: 0 }}
      >
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser did not allow copying: select the secret and copy it by hand.'
            : ''}
      </p>
    </Dialog>
  );
}
