'use client';

import { formatBytes } from '@/lib/format';
import styles from './media.module.css';
import type { UploadRow } from './useUploads';

function statusText(row: UploadRow): string {
  switch (row.phase) {
    case 'starting':
      return 'Starting…';
    case 'uploading':
      return 'Uploading';
    case 'confirming':
      return 'Finishing upload…';
    case 'processing':
      return row.kind === 'model' ? 'Processing… (optimizing the 3D model)' : 'Processing…';
    case 'ready':
      return 'Ready';
    case 'failed':
      return `Failed: ${row.failure?.reason ?? 'Something went wrong.'}`;
  }
}

/** The files being sent and processed, each followed live until ready or failed. */
export function UploadList({
  rows,
  onCancel,
  onRemove,
  onClearFinished,
}: {
  rows: UploadRow[];
  onCancel: (id: string) => void;
  onRemove: (id: string) => void;
  onClearFinished: () => void;
}) {
  if (rows.length === 0) return null;
  const finished = rows.some(
    (row) => row.phase === 'ready' || (row.phase === 'failed' && !(row.mode === 'new' && row.mediaId)),
  );
  return (
    <section className={styles.uploads} aria-label="Uploads">
      <div className="row">
        <h3 className={styles.uploadsTitle}>Uploads</h3>
        <span className="spacer" />
        {finished && (
          <button type="button" className="button small" onClick={onClearFinished}>
            Clear finished
          </button>
        )}
      </div>
      <ul className={styles.uploadRows}>
        {rows.map((row) => {
          const failed = row.phase === 'failed';
          const sending = row.phase === 'starting' || row.phase === 'uploading' || row.phase === 'confirming';
          // A failed new media stays in the API (with its reason) until deleted: "Remove" deletes it.
          const deletes = failed && row.mode === 'new' && row.mediaId !== null;
          return (
            <li
              key={row.id}
              data-testid="upload-row"
              data-phase={row.phase}
              className={`${styles.uploadRow} ${failed ? styles.uploadFailed : ''} ${row.phase === 'ready' ? styles.uploadReady : ''}`}
            >
              <div className={styles.uploadHead}>
                <span className={styles.uploadName} title={row.name}>
                  {row.name}
                </span>
                <span className="muted">
                  {formatBytes(row.byteSize)}
                  {row.mode === 'replace' ? ' · replacement' : ''}
                </span>
              </div>
              <progress
                aria-label={row.name}
                max={100}
                value={failed ? 0 : row.phase === 'starting' ? 0 : row.progress}
                className={styles.progress}
              />
              <div className={styles.uploadFoot}>
                <p className={styles.uploadStatus}>
                  {(row.phase === 'processing' || row.phase === 'confirming') && (
                    <span className={`spinner ${styles.smallSpinner}`} aria-hidden="true" />
                  )}
                  <span role="status">{statusText(row)}</span>
                  {row.phase === 'uploading' && <span aria-hidden="true"> {row.progress}%</span>}
                </p>
                <span className="spacer" />
                {sending && (
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Cancel ${row.name}`}
                    onClick={() => onCancel(row.id)}
                  >
                    Cancel
                  </button>
                )}
                {(failed || row.phase === 'ready') && (
                  <button
                    type="button"
                    className={`button small ${deletes ? 'danger' : ''}`}
                    aria-label={`${deletes ? 'Remove' : 'Dismiss'} ${row.name}`}
                    onClick={() => onRemove(row.id)}
                    disabled={row.removing}
                  >
                    {deletes ? (row.removing ? 'Removing…' : 'Remove') : 'Dismiss'}
                  </button>
                )}
              </div>
              {failed && (row.failure?.detail || row.failure?.code) && (
                <p className={styles.failureDetail}>
                  {row.failure.detail}
                  {row.failure.code && <span className="mono"> ({row.failure.code})</span>}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
