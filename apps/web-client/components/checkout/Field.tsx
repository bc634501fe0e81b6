'use client';

import { type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes, useId } from 'react';
import styles from './Field.module.css';

interface Common {
  label: ReactNode;
  /** The API's or the form's message for this field; tied to it with aria-describedby. */
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  className?: string;
}

function describedBy(id: string, hint: unknown, error: unknown) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function Messages({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | undefined }) {
  return (
    <>
      {hint ? (
        <span id={`${id}-hint`} className={styles.hint}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className={styles.error}>
          <svg aria-hidden="true" width="14" height="14" viewBox="0 0 24 24" fill="currentColor">
            <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-2h2v2Zm0-4h-2V7h2v6Z" />
          </svg>
          {error}
        </span>
      ) : null}
    </>
  );
}

function Label({ id, label, optional }: { id: string; label: ReactNode; optional?: boolean | undefined }) {
  return (
    <label htmlFor={id} className={styles.label}>
      {label}
      {optional ? <span className={styles.optional}> (optional)</span> : null}
    </label>
  );
}

export function TextField({
  label,
  error,
  hint,
  optional,
  className,
  id: givenId,
  ...input
}: Common & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className={`${styles.field} ${className ?? ''}`}>
      <Label id={id} label={label} optional={optional} />
      <input
        id={id}
        className={styles.input}
        required={!optional}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  optional,
  className,
  children,
  id: givenId,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  const generated = useId();
  const id = givenId ?? generated;
  return (
    <div className={`${styles.field} ${className ?? ''}`}>
      <Label id={id} label={label} optional={optional} />
      <select
        id={id}
        className={styles.input}
        required={!optional}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {children}
      </select>
      <Messages id={id} hint={hint} error={error} />
    </div>
  );
}

/** Moves focus to the first field the API or the form refused. */
export function focusFirstInvalid(form: HTMLElement | null) {
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  invalid?.focus();
}
