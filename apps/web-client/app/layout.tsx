import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SHOP_NAME, SITE_URL } from '@/lib/site';
import './globals.css';

export const metadata: Metadata = {
  metadataBase: new URL(SITE_URL),
  title: { default: SHOP_NAME, template: `%s · ${SHOP_NAME}` },
  description: 'Products you can turn around in 3D and place in your room before you buy.',
  openGraph: { siteName: SHOP_NAME, type: 'website' },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#111827' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
      </body>
    </html>
  );
}
