'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Field } from '@/components/ui/Field';
import { api, fieldErrors, isApiError } from '@/lib/api';
import styles from './staff.module.css';

const MIN_LENGTH = 10;

/**
 * An invited staff member chooses their password with the token from the emailed link; the
 * token works once, and afterwards they sign in like everyone else.
 */
export function AcceptInviteForm() {
  const token = useSearchParams().get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<{ text: string; tokenDead: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  if (!token) {
    return (
      <div className={`card ${styles.form}`}>
        <h1>Invitation link incomplete</h1>
        <p className="notice danger" role="alert">
          This page needs the whole link from your invitation email. Open the link again, or copy all of it
          into the address bar.
        </p>
        <Link href="/login">Go to sign in</Link>
      </div>
    );
  }

  if (done) {
    return (
      <div className={`card ${styles.form}`}>
        <h1>Your password is set</h1>
        <p className="notice success" role="status">
          Welcome to the team. Sign in with your email address and the password you just chose.
        </p>
        <Link href="/login" className="button primary">
          Sign in
        </Link>
      </div>
    );
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (password.length < MIN_LENGTH) local.password = `must be at least ${MIN_LENGTH} characters`;
    else if (password.length > 256) local.password = 'must be at most 256 characters';
    if (confirmation !== password) local.confirmation = 'does not match the password';
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await api.post('/api/admin/auth/accept-invite', { token, password });
      setDone(true);
    } catch (caught) {
      const fields = fieldErrors(caught);
      setErrors({ password: fields.password ?? '' });
      const tokenDead = isApiError(caught) && (caught.code === 'invite_token_invalid' || 'token' in fields);
      setFailure({
        text: isApiError(caught)
          ? caught.status === 429
            ? 'Too many attempts. Wait a minute, then try again.'
            : tokenDead && caught.code !== 'invite_token_invalid'
              ? 'This invitation link is not valid. Ask an owner or admin to invite you again.'
              : caught.detail
          : 'Your password could not be set: the shop did not answer. Try again.',
        tokenDead,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={`card ${styles.form}`} onSubmit={onSubmit} noValidate>
      <h1>Choose your password</h1>
      <p className="muted" style={{ margin: 0 }}>
        You were invited to the shop admin. Choose a password of at least {MIN_LENGTH} characters to finish.
      </p>
      {failure && (
        <div className="notice danger" role="alert">
          <p style={{ margin: 0 }}>{failure.text}</p>
          {failure.tokenDead && (
            <p style={{ margin: '0.5rem 0 0' }}>
              Already chose a password? <Link href="/login">Sign in</Link>.
            </p>
          )}
        </div>
      )}
      <Field
        label="New password"
        hint={`At least ${MIN_LENGTH} characters.`}
        error={errors.password || undefined}
      >
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          required
          minLength={MIN_LENGTH}
          maxLength={256}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <Field label="Confirm password" error={errors.confirmation}>
        <input
          type="password"
          autoComplete="new-password"
          value={confirmation}
          required
          onChange={(e) => setConfirmation(e.target.value)}
        />
      </Field>
      <button type="submit" className="button primary" disabled={busy || failure?.tokenDead === true}>
        {busy ? 'Setting password…' : 'Set password'}
      </button>
    </form>
  );
}
