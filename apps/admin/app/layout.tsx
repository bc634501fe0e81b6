import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ShopConfigProvider } from '@/components/session/ShopConfig';
import { ToastProvider } from '@/components/ui/Toasts';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Shop admin', template: '%s · Shop admin' },
  robots: { index: false, follow: false },
};

// Staff pages are per-session and read runtime settings (STOREFRONT_URL): never prerendered.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  const storefrontUrl = process.env.STOREFRONT_URL ?? 'http://localhost:3000';
  return (
    <html lang="en">
      <body>
        <ShopConfigProvider value={{ storefrontUrl }}>
          <ToastProvider>{children}</ToastProvider>
        </ShopConfigProvider>
      </body>
    </html>
  );
}
