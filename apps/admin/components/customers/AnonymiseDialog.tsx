'use client';

import type { AdminCustomer } from '@e3d/contracts';
import { type FormEvent, useState } from 'react';
import { FormDialog } from '@/components/ui/FormDialog';
import { api, isApiError } from '@/lib/api';
import { useFormSubmit } from '@/lib/use-form-submit';
import styles from './customers.module.css';

/**
 * Erase a customer's personal data (e.g. on a GDPR erasure request). Final, so the dialog says
 * what happens and asks for a reason (kept in the audit log) and the email typed out.
 */
export function AnonymiseDialog({
  customer,
  onClose,
  onAnonymised,
  onStale,
}: {
  customer: AdminCustomer;
  onClose: () => void;
  onAnonymised: (customer: AdminCustomer) => void;
  /** The account changed meanwhile (already anonymised): reload it. */
  onStale: () => void;
}) {
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const {
    busy,
    errors: fields,
    formError: error,
    submit: send,
  } = useFormSubmit('The customer could not be anonymised. Try again.');
  const [reasonMissing, setReasonMissing] = useState(false);

  const confirmed = typed.trim().toLowerCase() === customer.email.toLowerCase();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !confirmed) return;
    if (!reason.trim()) {
      setReasonMissing(true);
      return;
    }
    setReasonMissing(false);
    const updated = await send(async () => {
      try {
        return await api.post<AdminCustomer>(`/api/admin/customers/${customer.id}/anonymise`, {
          reason: reason.trim(),
        });
      } catch (caught) {
        if (isApiError(caught) && caught.code === 'customer_already_anonymised') onStale();
        throw caught;
      }
    });
    if (updated) onAnonymised(updated);
  };

  const reasonProblem = reasonMissing ? 'Give a reason; it is kept in the audit log.' : fields.reason;
  return (
    <FormDialog
      title="Anonymise customer?"
      onClose={onClose}
      onSubmit={submit}
      busy={busy}
      error={error}
      submitLabel="Anonymise permanently"
      busyLabel="Anonymising…"
      danger
      canSubmit={confirmed}
    >
      <div>
        <p>What happens:</p>
        <ul>
          <li>
            Personal data is removed: the name, the email address (replaced by a placeholder) and every saved
            address. The customer is signed out everywhere and can no longer sign in.
          </li>
          <li>
            Orders are kept for accounting, without the link to this person, the same way as when a customer
            deletes their own account.
          </li>
          <li>
            <strong>This cannot be undone.</strong>
          </li>
        </ul>
      </div>
      <label className="field">
        <span>Reason</span>
        <textarea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          required
          placeholder="e.g. Erasure request by email on 12 March"
          aria-invalid={reasonProblem ? true : undefined}
        />
        {reasonProblem ? (
          <span className="error">{reasonProblem}</span>
        ) : (
          <span className="hint">Recorded in the audit log.</span>
        )}
      </label>
      <label className="field">
        <span>
          Type <strong className={`mono ${styles.confirmEmail}`}>{customer.email}</strong> to confirm
        </span>
        <input
          type="text"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          required
          aria-describedby="anonymise-confirm-hint"
        />
        <span id="anonymise-confirm-hint" className="hint">
          {confirmed ? 'Email matches.' : 'The button unlocks when the email matches.'}
        </span>
      </label>
    </FormDialog>
  );
}
