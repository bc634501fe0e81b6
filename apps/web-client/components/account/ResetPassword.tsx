'use client';

import Link from 'next/link';
import { type FormEvent, useRef, useState } from 'react';
import { api, isApiError } from '@/lib/client-api';
import ui from '../cart/ui.module.css';
import { focusFirstInvalid, TextField } from '../checkout/Field';
import styles from './account.module.css';
import { apiFieldErrors, errorText, PASSWORD_MIN, PASSWORD_RULE } from './forms';
import { PasswordField } from './PasswordField';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * "Forgot password": without a token, ask for the link by email; with the emailed link's
 * `?token=`, choose the new password.
 */
export function ResetPassword({ token }: { token?: string | undefined }) {
  return (
    <div className={`${styles.page} ${styles.narrow}`}>
      {token ? <ConfirmForm token={token} /> : <RequestForm />}
    </div>
  );
}

function RequestForm() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!EMAIL.test(email.trim())) {
      setError('Enter the email address of your account.');
      input.current?.focus();
      return;
    }
    setError(undefined);
    setPending(true);
    try {
      await api.post('/api/auth/password-reset', { email: email.trim() });
      setSentTo(email.trim());
    } catch (caught) {
      const byField = apiFieldErrors(caught, { email: 'Email' });
      if (byField.email) {
        setError(byField.email);
        input.current?.focus();
      } else setFormError(errorText(caught));
    } finally {
      setPending(false);
    }
  };

  if (sentTo) {
    return (
      <>
        <h1 className={styles.heading}>Check your email</h1>
        <div className={ui.success} role="status">
          <p className={styles.tight}>
            If <strong>{sentTo}</strong> has an account, we sent it a link to choose a new password. The link
            works once, for one hour.
          </p>
        </div>
        <p className={ui.muted}>
          No email? Check your spam folder, or{' '}
          <button type="button" className={ui.linkButton} onClick={() => setSentTo(null)}>
            try another address
          </button>
          .
        </p>
        <Link href="/account" className={ui.secondary}>
          Back to sign in
        </Link>
      </>
    );
  }

  return (
    <>
      <h1 className={styles.heading}>Reset your password</h1>
      <p className={ui.muted}>
        Enter the email you signed up with and we will send you a link to choose a new password.
      </p>
      <form onSubmit={submit} noValidate className={styles.form}>
        <p className={ui.alert} role="alert">
          {formError}
        </p>
        <TextField
          ref={input}
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={error}
        />
        <button type="submit" className={`${ui.primary} ${ui.block}`} disabled={pending}>
          {pending ? 'Sending…' : 'Email me a link'}
        </button>
        <Link href="/account" className={styles.smallLink}>
          Back to sign in
        </Link>
      </form>
    </>
  );
}

function ConfirmForm({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [invalidLink, setInvalidLink] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (password.length < PASSWORD_MIN) {
      setError(`Password must be at least ${PASSWORD_MIN} characters.`);
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setError(undefined);
    setPending(true);
    try {
      await api.post('/api/auth/password-reset/confirm', { token, password });
      setDone(true);
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'reset_token_invalid') setInvalidLink(caught.detail);
      else {
        const byField = apiFieldErrors(caught, { password: 'Password', token: 'The link' });
        if (byField.password) {
          setError(byField.password);
          requestAnimationFrame(() => focusFirstInvalid(form.current));
        } else if (byField.token) setInvalidLink(byField.token);
        else setFormError(errorText(caught));
      }
    } finally {
      setPending(false);
    }
  };

  if (done) {
    return (
      <>
        <h1 className={styles.heading}>Password changed</h1>
        <div className={ui.success} role="status">
          <p className={styles.tight}>
            Your new password is set. For your safety, every device was signed out.
          </p>
        </div>
        <Link href="/account" className={ui.primary}>
          Sign in
        </Link>
      </>
    );
  }

  if (invalidLink) {
    return (
      <>
        <h1 className={styles.heading}>This link does not work</h1>
        <div className={ui.alert} role="alert">
          <p className={styles.tight}>{invalidLink}</p>
        </div>
        <Link href="/account/reset-password" className={ui.primary}>
          Get a new link
        </Link>
      </>
    );
  }

  return (
    <>
      <h1 className={styles.heading}>Choose a new password</h1>
      <form ref={form} onSubmit={submit} noValidate className={styles.form}>
        <p className={ui.alert} role="alert">
          {formError}
        </p>
        <PasswordField
          label="New password"
          name="new-password"
          autoComplete="new-password"
          maxLength={256}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error}
          hint={PASSWORD_RULE}
        />
        <button type="submit" className={`${ui.primary} ${ui.block}`} disabled={pending}>
          {pending ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </>
  );
}
