'use client';

import { useEffect, useId, useState } from 'react';
import { fieldErrors, isApiError } from '@/lib/api';
import styles from './media.module.css';

/** Alt text edited in place: saved when the field loses focus or on Enter; Escape undoes. */
export function AltTextField({
  value,
  label,
  onSave,
}: {
  value: string;
  /** Names the field for screen readers, e.g. "Alt text for photo 2". */
  label: string;
  onSave: (alt: string) => Promise<void>;
}) {
  const [draft, setDraft] = useState(value);
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  useEffect(() => setDraft(value), [value]);

  useEffect(() => {
    if (state !== 'saved') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const save = async () => {
    const alt = draft.trim();
    if (alt === value || state === 'saving') return;
    setState('saving');
    setError(null);
    try {
      await onSave(alt);
      setState('saved');
    } catch (err) {
      setState('idle');
      setError(isApiError(err) ? (fieldErrors(err).alt ?? err.detail) : 'The alt text could not be saved.');
    }
  };

  return (
    <div className={`field ${styles.altField}`}>
      <label htmlFor={id} className={styles.smallLabel}>
        Alt text <span className="visually-hidden">({label})</span>
      </label>
      <input
        id={id}
        type="text"
        value={draft}
        maxLength={500}
        placeholder="Describe what it shows"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-state`}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => void save()}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            void save();
          } else if (event.key === 'Escape') {
            setDraft(value);
            setError(null);
          }
        }}
      />
      <span id={`${id}-state`} className={error ? 'error' : 'hint'} aria-live="polite">
        {error ??
          (state === 'saving' ? 'Saving…' : state === 'saved' ? 'Saved' : value ? '' : 'Missing: add one')}
      </span>
    </div>
  );
}
