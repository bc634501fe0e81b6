'use client';

import type { StaffMember } from '@e3d/contracts';
import { useEffect, useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { api } from '@/lib/api';
import { RoleField } from './RoleField';
import { type Role, roleLabel } from './roles';

/** Picks a new role for a member and confirms it; the API's refusal (e.g. last owner) stays shown. */
export function RoleDialog({
  member,
  actorRole,
  isSelf,
  onClose,
  onChanged,
}: {
  member: StaffMember | null;
  actorRole: string;
  isSelf: boolean;
  onClose: () => void;
  onChanged: (member: StaffMember) => void;
}) {
  const [role, setRole] = useState<Role>('support');
  useEffect(() => {
    if (member) setRole(member.role);
  }, [member]);

  const who = member ? member.name || member.email : '';
  return (
    <ConfirmDialog
      open={member !== null}
      title={member ? `Change role of ${who}` : 'Change role'}
      confirmLabel="Change role"
      busyLabel="Changing…"
      onClose={onClose}
      onConfirm={async () => {
        if (!member) return;
        if (role === member.role) return;
        onChanged(await api.patch<StaffMember>(`/api/admin/staff/${member.id}`, { role }));
      }}
    >
      {member && (
        <>
          <RoleField actorRole={actorRole} value={role} onChange={setRole} />
          {role !== member.role && (
            <p className={isSelf ? 'notice warning' : 'muted'} role="status">
              {who} goes from {roleLabel(member.role)} to {roleLabel(role)}; it applies at once.
              {isSelf && ' This is your own account: the admin reloads with what the new role may do.'}
            </p>
          )}
        </>
      )}
    </ConfirmDialog>
  );
}
