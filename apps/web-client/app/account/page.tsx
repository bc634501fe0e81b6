import type { Metadata } from 'next';
import { AccountHome } from '@/components/account/AccountPages';

export const metadata: Metadata = { title: 'Your account' };

export default async function Account({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; mode?: string | string[] }>;
}) {
  const { next, mode } = await searchParams;
  return (
    <main id="main" className="container">
      <AccountHome
        {...(typeof next === 'string' ? { next } : {})}
        {...(mode === 'register' || mode === 'signin' ? { mode } : {})}
      />
    </main>
  );
}
