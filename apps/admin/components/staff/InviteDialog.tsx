'use client';

import type { StaffMember } from '@e3d/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import { api } from '@/lib/api';
import { useFormSubmit } from '@/lib/use-form-submit';
import { RoleField } from './RoleField';
import { type Role, roleLabel } from './roles';

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
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const { busy, errors, setErrors, formError, reset, submit } = useFormSubmit(
    'The invitation could not be sent.',
  );
  const [invited, setInvited] = useState<StaffMember | null>(null);

  useEffect(() => {
    if (!open) return;
    setEmail('');
    setName('');
    setRole('support');
    reset();
    setInvited(null);
  }, [open, reset]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) {
      setErrors({ email: 'must be an email address' });
      return;
    }
    setErrors({});
    const member = await submit(() =>
      api.post<StaffMember>('/api/admin/staff', { email: email.trim(), name: name.trim(), role }),
    );
    if (!member) return;
    setInvited(member);
    onInvited(member);
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
    <FormDialog
      open={open}
      title="Invite a staff member"
      onClose={onClose}
      onSubmit={onSubmit}
      busy={busy}
      error={formError}
      submitLabel="Send invitation"
      busyLabel="Sending…"
    >
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
      <RoleField actorRole={actorRole} value={role} onChange={setRole} error={errors.role} />
    </FormDialog>
  );
}
