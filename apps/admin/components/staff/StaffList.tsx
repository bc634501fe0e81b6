'use client';

import type { StaffMember } from '@e3d/contracts';
import { useState } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadState } from '@/components/ui/LoadState';
import { PageHeader } from '@/components/ui/PageHeader';
import { RowActions } from '@/components/ui/RowActions';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { withRow } from '@/lib/list-updates';
import { useApiData } from '@/lib/use-api-data';
import { InviteDialog } from './InviteDialog';
import { RoleDialog } from './RoleDialog';
import { memberStatus, roleLabel } from './roles';
import styles from './staff.module.css';

type StatusChange = { member: StaffMember; to: 'active' | 'deactivated' } | null;

/** The team: who has which role, who is still invited, and (with staff:write) changing that. */
export function StaffList() {
  const { staff: me, can } = useStaff();
  const { notify } = useToasts();
  const team = useApiData<{ items: StaffMember[] }>(can('staff:read') ? '/api/admin/staff' : null);
  const [inviting, setInviting] = useState(false);
  const [changingRole, setChangingRole] = useState<StaffMember | null>(null);
  const [statusChange, setStatusChange] = useState<StatusChange>(null);

  if (!can('staff:read')) {
    return (
      <>
        <PageHeader title="Staff" />
        <p className="notice warning" role="alert">
          Your role cannot see the team. Ask an owner or admin.
        </p>
      </>
    );
  }

  const canWrite = can('staff:write');
  const replace = (member: StaffMember) => team.setData(withRow(member));
  // Only an owner may change an owner (the API refuses others), so those actions are not offered.
  const mayManage = (member: StaffMember) => canWrite && (member.role !== 'owner' || me.role === 'owner');
  const items = team.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Staff"
        description="Everyone who can sign in to this admin, and what their role lets them do."
        actions={
          canWrite && (
            <button type="button" className="button primary" onClick={() => setInviting(true)}>
              Invite staff
            </button>
          )
        }
      />
      {!team.data ? (
        <LoadState resource={team} what="Staff" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Last sign-in</th>
                {canWrite && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((member) => {
                const isSelf = member.id === me.id;
                const who = member.name || member.email;
                return (
                  <tr key={member.id}>
                    <td>
                      {member.name || <span className="muted">—</span>}
                      {isSelf && <span className={`badge ${styles.you}`}>You</span>}
                    </td>
                    <td>{member.email}</td>
                    <td>{roleLabel(member.role)}</td>
                    <td>
                      <StatusBadge status={memberStatus(member)} />
                    </td>
                    <td>
                      {member.lastLoginAt ? (
                        formatDateTime(member.lastLoginAt)
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    {canWrite && (
                      <td>
                        {mayManage(member) && (
                          <RowActions>
                            <button
                              type="button"
                              className="button small"
                              onClick={() => setChangingRole(member)}
                              aria-label={`Change role of ${who}`}
                            >
                              Change role
                            </button>
                            {/* The API refuses deactivating yourself. */}
                            {!isSelf &&
                              (member.status === 'active' ? (
                                <button
                                  type="button"
                                  className="button small danger"
                                  onClick={() => setStatusChange({ member, to: 'deactivated' })}
                                  aria-label={`Deactivate ${who}`}
                                >
                                  Deactivate
                                </button>
                              ) : (
                                <button
                                  type="button"
                                  className="button small"
                                  onClick={() => setStatusChange({ member, to: 'active' })}
                                  aria-label={`Reactivate ${who}`}
                                >
                                  Reactivate
                                </button>
                              ))}
                          </RowActions>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && (
        <>
          <InviteDialog
            open={inviting}
            actorRole={me.role}
            onClose={() => setInviting(false)}
            onInvited={(member) => {
              team.setData(withRow(member));
              team.reload();
            }}
          />
          <RoleDialog
            member={changingRole}
            actorRole={me.role}
            isSelf={changingRole?.id === me.id}
            onClose={() => setChangingRole(null)}
            onChanged={(member) => {
              if (member.id === me.id) {
                // The session's permissions came with the page; load them again for the new role.
                window.location.reload();
                return;
              }
              replace(member);
              notify(`${member.name || member.email} is now ${roleLabel(member.role)}.`);
            }}
          />
          <ConfirmDialog
            open={statusChange !== null}
            title={statusChange?.to === 'deactivated' ? 'Deactivate staff member' : 'Reactivate staff member'}
            confirmLabel={statusChange?.to === 'deactivated' ? 'Deactivate' : 'Reactivate'}
            busyLabel={statusChange?.to === 'deactivated' ? 'Deactivating…' : 'Reactivating…'}
            danger={statusChange?.to === 'deactivated'}
            onClose={() => setStatusChange(null)}
            onConfirm={async () => {
              if (!statusChange) return;
              const member = await api.patch<StaffMember>(`/api/admin/staff/${statusChange.member.id}`, {
                status: statusChange.to,
              });
              replace(member);
              notify(
                member.status === 'deactivated'
                  ? `${member.name || member.email} is deactivated and signed out.`
                  : `${member.name || member.email} can sign in again.`,
              );
            }}
          >
            {statusChange &&
              (statusChange.to === 'deactivated' ? (
                <p>
                  Deactivate {statusChange.member.name || statusChange.member.email}? They are signed out
                  everywhere at once and cannot sign in until reactivated. What they did stays in the audit
                  log.
                </p>
              ) : (
                <p>
                  Reactivate {statusChange.member.name || statusChange.member.email} as{' '}
                  {roleLabel(statusChange.member.role)}? They can sign in again with their password.
                </p>
              ))}
          </ConfirmDialog>
        </>
      )}
    </>
  );
}
