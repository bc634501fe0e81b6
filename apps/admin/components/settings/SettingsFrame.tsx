'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { PageHeader } from '@/components/ui/PageHeader';
import styles from './settings.module.css';

const TABS = [
  { href: '/settings', label: 'General' },
  { href: '/settings/tax', label: 'Tax rates' },
  { href: '/settings/shipping', label: 'Shipping' },
  { href: '/settings/promotions', label: 'Promotions' },
  { href: '/settings/webhooks', label: 'Webhooks' },
];

/** The settings heading and its tabs; only owners (settings:write) get past it. */
export function SettingsFrame({ children }: { children: ReactNode }) {
  const { can } = useStaff();
  const pathname = usePathname();
  if (!can('settings:write')) {
    return (
      <>
        <PageHeader title="Settings" />
        <p className="notice warning" role="alert">
          Only an owner can see and change the shop settings. Ask an owner if something needs changing.
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title="Settings"
        description="Money, tax, shipping, promotion codes and webhooks for the shop."
      />
      <nav aria-label="Settings sections" className={styles.tabs}>
        {TABS.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            className={styles.tab}
            aria-current={pathname === tab.href ? 'page' : undefined}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {children}
    </>
  );
}
