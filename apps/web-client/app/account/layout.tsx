import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { SHOP_NAME } from '@/lib/site';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Your account', template: `%s · ${SHOP_NAME}` },
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

export default function AccountLayout({ children }: { children: ReactNode }) {
  return children;
}
