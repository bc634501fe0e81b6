'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, useState } from 'react';
import ui from '../cart/ui.module.css';
import { AuthForms } from './AuthForms';
import styles from './account.module.css';
import { safeNext } from './forms';
import { signOut, useSession } from './session-store';

const NAV = [
  { href: '/account', label: 'Orders' },
  { href: '/account/addresses', label: 'Addresses' },
  { href: '/account/settings', label: 'Account settings' },
];

/**
 * The account area: sign-in and registration for guests (then back to `next`, or this page),
 * the navigation and sign-out for customers.
 */
export function AccountShell({
  children,
  title,
  next,
  mode,
}: {
  children: (customer: { name: string; email: string }) => ReactNode;
  title: string;
  next?: string | undefined;
  mode?: 'signin' | 'register' | undefined;
}) {
  const session = useSession();
  const pathname = usePathname();
  const router = useRouter();
  const [signingOut, setSigningOut] = useState(false);

  if (session.status === 'unknown') {
    return (
      <div className={styles.page} aria-busy="true">
        <div className={ui.skeleton} style={{ height: 40, width: 240 }} />
        <div className={ui.skeleton} style={{ height: 240, marginTop: 24 }} />
        <span className="visually-hidden">Loading your account…</span>
      </div>
    );
  }

  if (session.status === 'guest') {
    return (
      <div className={styles.page}>
        <h1 className={styles.heading}>Your account</h1>
        <AuthForms
          initial={mode}
          onDone={() => {
            if (next) router.push(safeNext(next, pathname));
          }}
        />
      </div>
    );
  }

  const leave = async () => {
    setSigningOut(true);
    try {
      await signOut();
      router.push('/account');
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <div className={styles.page}>
      <div className={styles.top}>
        <div>
          <p className={styles.hello}>Signed in as {session.customer.email}</p>
          <h1 className={styles.heading}>{title}</h1>
        </div>
        <button type="button" className={ui.secondary} onClick={() => void leave()} disabled={signingOut}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
      <div className={styles.layout}>
        <nav aria-label="Account" className={styles.nav}>
          <ul>
            {NAV.map((item) => {
              const current =
                item.href === '/account'
                  ? pathname === '/account' || pathname.startsWith('/account/orders')
                  : pathname.startsWith(item.href);
              return (
                <li key={item.href}>
                  <Link href={item.href} aria-current={current ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className={styles.content}>{children(session.customer)}</div>
      </div>
    </div>
  );
}
