'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { type Permission, useStaff } from '@/components/session/StaffSession';
import { humanize } from '@/lib/format';
import styles from './AdminShell.module.css';

interface NavItem {
  href: string;
  label: string;
  permission?: Permission;
}

/** The sections a role may open; the rest are not shown (and the API refuses them anyway). */
const NAV: NavItem[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/products', label: 'Products', permission: 'catalog:read' },
  { href: '/orders', label: 'Orders', permission: 'orders:read' },
  { href: '/customers', label: 'Customers', permission: 'customers:read' },
  { href: '/settings', label: 'Settings', permission: 'settings:write' },
  { href: '/staff', label: 'Staff', permission: 'staff:read' },
  { href: '/audit', label: 'Audit log', permission: 'audit:read' },
];

export function AdminShell({ children }: { children: ReactNode }) {
  const { staff, can, signOut } = useStaff();
  const pathname = usePathname();
  const active = (href: string) => (href === '/' ? pathname === '/' : pathname.startsWith(href));
  return (
    <div className={styles.shell}>
      <a href="#main" className={styles.skip}>
        Skip to content
      </a>
      <aside className={styles.sidebar}>
        <Link href="/" className={styles.brand}>
          <span aria-hidden="true" className={styles.logo}>
            ◆
          </span>
          Shop admin
        </Link>
        <nav aria-label="Sections">
          <ul className={styles.nav}>
            {NAV.filter((item) => !item.permission || can(item.permission)).map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  className={styles.link}
                  aria-current={active(item.href) ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className={styles.me}>
          <div>
            <strong>{staff.name || staff.email}</strong>
            <div className="muted" data-testid="staff-role">
              {humanize(staff.role)}
            </div>
          </div>
          <button type="button" className="button small" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" className={styles.main}>
        {children}
      </main>
    </div>
  );
}
