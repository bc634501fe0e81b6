'use client';

import { useId, useState } from 'react';
import styles from './audit.module.css';
import { diffEntries, showValue } from './audit-diff';

/** An entry's before and after side by side: the changed fields, and on request the rest. */
export function AuditDiff({ action, before, after }: { action: string; before: unknown; after: unknown }) {
  const [showAll, setShowAll] = useState(false);
  const toggleId = useId();
  const rows = diffEntries(before, after);
  const changed = rows.filter((r) => r.changed);
  const shown = showAll ? rows : changed;
  const creation = before === null || before === undefined;
  const deletion = after === null || after === undefined;

  return (
    <div className={styles.diff}>
      <div className="row">
        <span className="muted">
          {creation && !deletion
            ? /\.(create|invite)$/.test(action)
              ? 'Created with these fields.'
              : 'Recorded with these details.'
            : deletion && !creation
              ? 'Deleted; it had these fields.'
              : changed.length === 0
                ? 'No field changed.'
                : `${changed.length} ${changed.length === 1 ? 'field' : 'fields'} changed.`}
        </span>
        <span className="spacer" />
        {rows.length > changed.length && (
          <label htmlFor={toggleId} className="row">
            <input
              id={toggleId}
              type="checkbox"
              checked={showAll}
              onChange={(e) => setShowAll(e.target.checked)}
            />
            Show unchanged fields ({rows.length - changed.length})
          </label>
        )}
      </div>
      {shown.length > 0 && (
        <table className={styles.diffTable}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.path} className={row.changed ? styles.changed : undefined}>
                <th scope="row" className="mono">
                  {row.path}
                </th>
                <td className={row.changed ? styles.before : undefined}>
                  {row.missing === 'before' ? (
                    <span className="muted">—</span>
                  ) : (
                    <pre>{showValue(row.before)}</pre>
                  )}
                </td>
                <td className={row.changed ? styles.after : undefined}>
                  {row.missing === 'after' ? (
                    <span className="muted">—</span>
                  ) : (
                    <pre>{showValue(row.after)}</pre>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
