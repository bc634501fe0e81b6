'use client';

import type { ReactNode } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import type { ResourceList, ResourceRow } from './useResourceList';

/**
 * Asks before deleting the row `list.askDelete` named, saying what deleting it does; the API's
 * refusal (e.g. a code orders used) stays in the dialog.
 */
export function ResourceDeleteDialog<T extends ResourceRow>({
  list,
  title,
  confirmLabel,
  onDeleted,
  children,
}: {
  list: ResourceList<T>;
  title: string;
  confirmLabel: string;
  /** After the row is gone (e.g. to close what showed it). */
  onDeleted?: (row: T) => void;
  /** The question, for the row about to be deleted. */
  children: (row: T) => ReactNode;
}) {
  const { deleting } = list;
  return (
    <ConfirmDialog
      open={deleting !== null}
      title={title}
      confirmLabel={confirmLabel}
      busyLabel="Deleting…"
      danger
      onClose={list.closeDelete}
      onConfirm={async () => {
        if (!deleting) return;
        await list.deleteAsked();
        onDeleted?.(deleting);
      }}
    >
      {deleting && children(deleting)}
    </ConfirmDialog>
  );
}
