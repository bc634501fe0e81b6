'use client';

import type { CustomerProfile } from '@e3d/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { api, isApiError } from '@/lib/client-api';
import ui from '../cart/ui.module.css';
import { focusFirstInvalid, TextField } from '../checkout/Field';
import styles from './account.module.css';
import { apiFieldErrors, errorText, PASSWORD_MIN, PASSWORD_RULE } from './forms';
import { PasswordField } from './PasswordField';
import { setCustomer } from './session-store';

/** Name, and the password (needs the current one; other devices are signed out). */
export function AccountSettings({ customer }: { customer: { name: string; email: string } }) {
  return (
    <div className={styles.stack}>
      <ProfileForm customer={customer} />
      <PasswordForm email={customer.email} />
    </div>
  );
}

function ProfileForm({ customer }: { customer: { name: string; email: string } }) {
  const [name, setName] = useState(customer.name);
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    if (!name.trim()) {
      setError('Enter your name.');
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const profile = await api.patch<CustomerProfile>('/api/me', { name: name.trim() });
      setCustomer(profile);
      setStatus('Your name was saved.');
    } catch (caught) {
      setError(apiFieldErrors(caught, { name: 'Name' }).name ?? errorText(caught));
    } finally {
      setPending(false);
    }
  };

  return (
    <section className={styles.card} aria-labelledby="profile-heading">
      <h2 id="profile-heading" className={styles.cardTitle}>
        Profile
      </h2>
      <form method="post" onSubmit={submit} noValidate className={styles.form}>
        <TextField
          label="Name"
          name="name"
          autoComplete="name"
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error}
        />
        <TextField
          label="Email"
          type="email"
          value={customer.email}
          readOnly
          disabled
          optional
          hint="The email you sign in with"
        />
        <div className={styles.actions}>
          <button type="submit" className={ui.primary} disabled={pending || name.trim() === customer.name}>
            {pending ? 'Saving…' : 'Save'}
          </button>
          <p className={styles.saved} role="status">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}

function PasswordForm({ email }: { email: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    setFormError(null);
    const found: Record<string, string> = {};
    if (!current) found.currentPassword = 'Enter your current password.';
    if (next.length < PASSWORD_MIN)
      found.newPassword = `The new password must be at least ${PASSWORD_MIN} characters.`;
    setErrors(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setPending(true);
    try {
      await api.post('/api/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setStatus('Password changed. Other devices were signed out.');
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'wrong_password') {
        setErrors({ currentPassword: 'The current password is not right.' });
        requestAnimationFrame(() => focusFirstInvalid(form.current));
      } else {
        const byField = apiFieldErrors(caught, {
          currentPassword: 'Current password',
          newPassword: 'New password',
        });
        if (Object.keys(byField).length > 0) {
          setErrors(byField);
          requestAnimationFrame(() => focusFirstInvalid(form.current));
        } else setFormError(errorText(caught));
      }
    } finally {
      setPending(false);
    }
  };

  return (
    <section className={styles.card} aria-labelledby="password-heading">
      <h2 id="password-heading" className={styles.cardTitle}>
        Change password
      </h2>
      <form ref={form} method="post" onSubmit={submit} noValidate className={styles.form}>
        <p className={ui.alert} role="alert">
          {formError}
        </p>
        <input type="hidden" name="username" autoComplete="username" value={email} />
        <PasswordField
          label="Current password"
          name="current-password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.currentPassword}
        />
        <PasswordField
          label="New password"
          name="new-password"
          autoComplete="new-password"
          maxLength={256}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={errors.newPassword}
          hint={`${PASSWORD_RULE} Other devices will be signed out.`}
        />
        <div className={styles.actions}>
          <button type="submit" className={ui.primary} disabled={pending}>
            {pending ? 'Changing…' : 'Change password'}
          </button>
          <p className={styles.saved} role="status">
            {status}
          </p>
        </div>
      </form>
    </section>
  );
}
