'use client';

import Link from 'next/link';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { isApiError } from '@/lib/client-api';
import ui from '../cart/ui.module.css';
import { focusFirstInvalid, TextField } from '../checkout/Field';
import styles from './account.module.css';
import { apiFieldErrors, errorText, PASSWORD_MIN, PASSWORD_RULE } from './forms';
import { PasswordField } from './PasswordField';
import { register, signIn } from './session-store';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LABELS = { email: 'Email', password: 'Password', name: 'Name' };

/** Sign in and create an account, side by side; `onDone` runs once the shopper is signed in. */
export function AuthForms({
  onDone,
  initial = 'signin',
}: {
  onDone?: () => void;
  initial?: 'signin' | 'register';
}) {
  const registerHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (initial === 'register') registerHeading.current?.focus();
  }, [initial]);
  return (
    <div className={styles.auth}>
      <section className={styles.card} aria-labelledby="signin-heading">
        <h2 id="signin-heading" className={styles.cardTitle}>
          Sign in
        </h2>
        <SignInForm onDone={onDone} />
      </section>
      <section className={styles.card} aria-labelledby="register-heading">
        <h2 id="register-heading" className={styles.cardTitle} ref={registerHeading} tabIndex={-1}>
          New here? Create an account
        </h2>
        <p className={`${ui.muted} ${styles.intro}`}>
          Track your orders, save addresses and check out faster. Your cart comes with you.
        </p>
        <RegisterForm onDone={onDone} />
      </section>
    </div>
  );
}

function SignInForm({ onDone }: { onDone?: (() => void) | undefined }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!EMAIL.test(email.trim())) found.email = 'Enter the email address of your account.';
    if (!password) found.password = 'Enter your password.';
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setPending(true);
    try {
      await signIn(email.trim(), password);
      onDone?.();
    } catch (error) {
      const byField = apiFieldErrors(error, LABELS);
      if (Object.keys(byField).length > 0) {
        setErrors(byField);
        requestAnimationFrame(() => focusFirstInvalid(form.current));
      } else if (isApiError(error) && error.code === 'invalid_credentials') {
        setFormError('The email or the password is not right. Check them, or reset your password.');
      } else {
        setFormError(errorText(error));
      }
      setPassword('');
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={form} method="post" onSubmit={submit} noValidate className={styles.form} aria-busy={pending}>
      <p className={ui.alert} role="alert">
        {formError}
      </p>
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="username"
        inputMode="email"
        spellCheck={false}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
      />
      <button type="submit" className={`${ui.primary} ${ui.block}`} disabled={pending}>
        {pending ? <span className={ui.spinner} aria-hidden="true" /> : null}
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
      <Link href="/account/reset-password" className={styles.smallLink}>
        Forgot your password?
      </Link>
    </form>
  );
}

function RegisterForm({ onDone }: { onDone?: (() => void) | undefined }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [taken, setTaken] = useState(false);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Enter your name.';
    if (!EMAIL.test(email.trim())) found.email = 'Enter an email address like name@example.com.';
    if (password.length < PASSWORD_MIN)
      found.password = `Password must be at least ${PASSWORD_MIN} characters.`;
    setErrors(found);
    setFormError(null);
    setTaken(false);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setPending(true);
    try {
      await register({ name: name.trim(), email: email.trim(), password });
      onDone?.();
    } catch (error) {
      const byField = apiFieldErrors(error, LABELS);
      if (isApiError(error) && error.code === 'email_taken') {
        setTaken(true);
        setErrors({ email: 'An account with this email exists already.' });
        requestAnimationFrame(() => focusFirstInvalid(form.current));
      } else if (Object.keys(byField).length > 0) {
        setErrors(byField);
        requestAnimationFrame(() => focusFirstInvalid(form.current));
      } else {
        setFormError(errorText(error));
      }
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={form} onSubmit={submit} noValidate className={styles.form} aria-busy={pending}>
      <p className={ui.alert} role="alert">
        {formError}
      </p>
      <TextField
        label="Name"
        name="name"
        autoComplete="name"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <TextField
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        inputMode="email"
        spellCheck={false}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.email}
        hint={
          taken ? (
            <>
              Sign in with it, or <Link href="/account/reset-password">reset its password</Link>.
            </>
          ) : undefined
        }
      />
      <PasswordField
        label="Password"
        name="password"
        autoComplete="new-password"
        maxLength={256}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hint={PASSWORD_RULE}
      />
      <button type="submit" className={`${ui.primary} ${ui.block}`} disabled={pending}>
        {pending ? <span className={ui.spinner} aria-hidden="true" /> : null}
        {pending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
