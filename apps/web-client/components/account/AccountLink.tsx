'use client';

import Link from 'next/link';
import styles from './AccountLink.module.css';
import { useSession } from './session-store';

/** The header's account link: "Sign in", or the signed-in customer's name. */
export function AccountLink() {
  const session = useSession();
  const name = session.status === 'signed-in' ? session.customer.name.split(/\s+/)[0] || 'Account' : null;
  return (
    <Link href="/account" className={styles.link} data-testid="account-link">
      <svg
        aria-hidden="true"
        width="22"
        height="22"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
      >
        <circle cx="12" cy="8" r="4" />
        <path d="M4 20c1.5-3.5 4.5-5 8-5s6.5 1.5 8 5" />
      </svg>
      {/* Most visitors are guests: "Sign in" until /api/me says otherwise. */}
      <span className={styles.label}>{name ?? 'Sign in'}</span>
      {name ? <span className="visually-hidden">, your account</span> : null}
    </Link>
  );
}
