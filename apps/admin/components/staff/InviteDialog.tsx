'use client';

import type { StaffMember } from '@e3d/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Field } from '@/components/settings/Field';
import { Dialog } from '@/components/ui/Dialog';
import { api, fieldErrors, isApiError } from '@/lib/api';
import { assignableRoles, type Role, roleLabel, roleSummary } from './roles';

/**
 * Invites a member: the API creates them with the role and emails a one-time link to choose a
 * password (valid for 7 days). The link itself is never returned to the inviter.
 */
export function InviteDialog({
  open,
  actorRole,
  onClose,
  onInvited,
}: {
  open: boolean;
  actorRole: string;
  onClose: () => void;
  onInvited: (member: StaffMember) => void;
}) {
  const formId = useId();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [invited, setInvited] = useState<StaffMember | null>(null);

  useEffect(() => {
    if (!open) return;
    setEmail('');
    setName('');
    setRole('support');
    setErrors({});
    setFormError(null);
    setInvited(null);
  }, [open]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) {
      setErrors({ email: 'must be an email address' });
      return;
    }
    setErrors({});
    setFormError(null);
    setBusy(true);
    try {
      const member = await api.post<StaffMember>('/api/admin/staff', {
        email: email.trim(),
        name: name.trim(),
        role,
      });
      setInvited(member);
      onInvited(member);
    } catch (caught) {
      setErrors(fieldErrors(caught));
      setFormError(isApiError(caught) ? caught.detail : 'The invitation could not be sent.');
    } finally {
      setBusy(false);
    }
  };

  if (invited) {
    return (
      <Dialog
        open={open}
        title="Invitation sent"
        onClose={onClose}
        footer={
          <button type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        }
      >
        <p className="notice success" role="status">
          {`${invited.name || invited.email} is invited as ${roleLabel(invited.role)}.`}
        </p>
        <p>
          We emailed <strong>{invited.email}</strong> a link to choose a password. It works once, for 7 days;
          until then they show as Invited.
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      title="Invite a staff member"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary" disabled={busy}>
            {busy ? 'Sending…' : 'Send invitation'}
          </button>
        </>
      }
    >
      <form id={formId} className="stack" onSubmit={onSubmit} noValidate>
        {formError && (
          <p className="notice danger" role="alert">
            {formError}
          </p>
        )}
        <Field label="Email" error={errors.email}>
          <input
            type="email"
            value={email}
            required
            autoComplete="off"
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Name (optional)" error={errors.name}>
          <input
            type="text"
            value={name}
            maxLength={200}
            autoComplete="off"
            onChange={(e) => setName(e.target.value)}
          />
        </Field>
        <Field label="Role" hint={roleSummary(role)} error={errors.role}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {assignableRoles(actorRole).map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
      </form>
    </Dialog>
  );
}
