'use client';

import { type InputHTMLAttributes, type ReactNode, useId, useState } from 'react';
import field from '../checkout/Field.module.css';
import styles from './account.module.css';

/** A password input with a show/hide toggle, its rule as a hint and the error tied to it. */
export function PasswordField({
  label,
  error,
  hint,
  id: givenId,
  ...input
}: {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId();
  const id = givenId ?? generated;
  const [visible, setVisible] = useState(false);
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={field.field}>
      <div className={styles.labelRow}>
        <label htmlFor={id} className={field.label}>
          {label}
        </label>
        <button
          type="button"
          className={styles.toggle}
          onClick={() => setVisible((v) => !v)}
          aria-controls={id}
          aria-pressed={visible}
        >
          {visible ? 'Hide' : 'Show'}
          <span className="visually-hidden"> password</span>
        </button>
      </div>
      <input
        id={id}
        type={visible ? 'text' : 'password'}
        className={field.input}
        required
        autoCapitalize="none"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        {...input}
      />
      {hint ? (
        <span id={`${id}-hint`} className={field.hint}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className={field.error}>
          {error}
        </span>
      ) : null}
    </div>
  );
}
