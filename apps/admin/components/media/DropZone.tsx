'use client';

import { UPLOAD_MAX_BYTES } from '@e3d/contracts/limits';
import { type DragEvent, useEffect, useId, useState } from 'react';
import { formatBytes } from '@/lib/format';
import styles from './media.module.css';
import { ACCEPT_ALL } from './media-api';

/** Files from the computer: dropped on the zone or chosen with the picker. */
export function DropZone({
  onFiles,
  disabled = false,
}: {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}) {
  const [over, setOver] = useState(false);
  const hintId = useId();
  const inputId = useId();

  // A file dropped just beside the zone would make the browser open it, leaving the page.
  useEffect(() => {
    const guard = (event: globalThis.DragEvent) => {
      if (event.defaultPrevented || !event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  // Only files from outside count: reordering the grid drags too.
  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

  return (
    <fieldset
      aria-label="Add media"
      className={`${styles.dropZone} ${over ? styles.dropZoneOver : ''}`}
      onDragEnter={(event) => {
        if (!carriesFiles(event) || disabled) return;
        event.preventDefault();
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event) || disabled) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(event) => {
        if (!carriesFiles(event) || disabled) return;
        event.preventDefault();
        setOver(false);
        const files = [...event.dataTransfer.files];
        if (files.length > 0) onFiles(files);
      }}
    >
      <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
        <path
          d="M12 3 7 8h3v6h4V8h3l-5-5Zm-8 13v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3h-2v3H6v-3H4Z"
          fill="currentColor"
        />
      </svg>
      <p className={styles.dropTitle}>Drop images and 3D models here</p>
      <p className="muted" id={hintId}>
        Images: JPEG, PNG, WebP, AVIF up to {formatBytes(UPLOAD_MAX_BYTES.image)}. 3D models: GLB, glTF or a
        ZIP with the glTF and its textures, up to {formatBytes(UPLOAD_MAX_BYTES.model)}.
      </p>
      <input
        id={inputId}
        type="file"
        multiple
        accept={ACCEPT_ALL}
        className={styles.fileInput}
        aria-label="Upload media"
        aria-describedby={hintId}
        disabled={disabled}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          // Cleared so choosing the same file again (after a failure) fires change again.
          event.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      {/* The visible button is the input's label: a click opens the picker, focus shows on it. */}
      <label htmlFor={inputId} className={`button primary ${styles.chooseLabel}`} aria-hidden="true">
        Choose files
      </label>
    </fieldset>
  );
}
