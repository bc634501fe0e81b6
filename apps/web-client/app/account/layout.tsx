import type { Metadata } from 'next';
import type { ReactNode } from 'react';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Your account',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

export default function AccountLayout({ children }: { children: ReactNode }) {
  return children;
}
