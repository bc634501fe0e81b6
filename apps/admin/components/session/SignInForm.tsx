'use client';

import type { TokenResponse } from '@e3d/contracts';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { api, isApiError, noteSession } from '@/lib/api';
import styles from './SignInForm.module.css';

/** Only a path inside the admin may follow sign-in (no open redirect). */
function safeNext(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const tokens = await api.post<TokenResponse>('/api/admin/auth/login', {
        email: String(form.get('email') ?? ''),
        password: String(form.get('password') ?? ''),
        mode: 'cookie',
      });
      noteSession(tokens.expiresIn);
      router.replace(safeNext(params.get('next')));
    } catch (caught) {
      setError(
        isApiError(caught)
          ? caught.status === 429
            ? 'Too many attempts. Wait a minute, then try again.'
            : caught.detail
          : 'Sign-in failed.',
      );
      setBusy(false);
    }
  };

  return (
    <form
      // Before the page's script runs, a native submit must not put the password in the URL.
      method="post"
      className={`card ${styles.form}`}
      onSubmit={onSubmit}
      aria-describedby={error ? 'sign-in-error' : undefined}
    >
      <h1>Sign in to the shop admin</h1>
      {error && (
        <p id="sign-in-error" className="notice danger" role="alert">
          {error}
        </p>
      )}
      <label className="field">
        <span>Email</span>
        <input type="email" name="email" autoComplete="username" required />
      </label>
      <label className="field">
        <span>Password</span>
        <input type="password" name="password" autoComplete="current-password" required />
      </label>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
