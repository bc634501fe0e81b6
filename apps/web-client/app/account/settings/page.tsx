import type { Metadata } from 'next';
import { AccountSettingsPage } from '@/components/account/AccountPages';

export const metadata: Metadata = { title: 'Account settings' };

export default function SettingsPage() {
  return (
    <main id="main" className="container">
      <AccountSettingsPage />
    </main>
  );
}
