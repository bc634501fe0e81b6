import type { ReactNode } from 'react';

/** The buttons at the end of a table row, kept on one line at the right. */
export function RowActions({ children }: { children: ReactNode }) {
  return (
    <div className="row" style={{ justifyContent: 'flex-end', flexWrap: 'nowrap' }}>
      {children}
    </div>
  );
}

/** "Edit" and "Delete" for a row, named for screen readers by what they act on. */
export function EditDeleteActions({
  name,
  onEdit,
  onDelete,
}: {
  /** What the row is, e.g. "Standard shipping" (labels read "Edit Standard shipping"). */
  name: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <RowActions>
      <button type="button" className="button small" onClick={onEdit} aria-label={`Edit ${name}`}>
        Edit
      </button>
      <button type="button" className="button small danger" onClick={onDelete} aria-label={`Delete ${name}`}>
        Delete
      </button>
    </RowActions>
  );
}
