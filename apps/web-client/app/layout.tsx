import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { CartProvider } from '@/components/cart/CartProvider';
import { AssetOriginProvider } from '@/components/catalog/AssetOrigin';
import { Footer } from '@/components/layout/Footer';
import { Header } from '@/components/layout/Header';
import {
  type CategoryNode,
  CDN_ORIGIN,
  type Collection,
  getCategoryTree,
  getCollections,
  prerenderSafe,
} from '@/lib/catalog';
import { SHOP_NAME, SITE_URL } from '@/lib/site';
import './globals.css';

export const metadata: Metadata = {
  metadataBase: new URL(SITE_URL),
  title: { default: SHOP_NAME, template: `%s · ${SHOP_NAME}` },
  description: 'Products you can turn around in 3D and place in your room before you buy.',
  openGraph: { siteName: SHOP_NAME, type: 'website' },
  formatDetection: { telephone: false },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#ffffff' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [categories, collections] = await Promise.all([
    // The shell still renders when the API is down: the navigation is just empty.
    prerenderSafe<CategoryNode[]>(getCategoryTree, { value: [] }),
    prerenderSafe<Collection[]>(getCollections, { value: [] }),
  ]);
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <AssetOriginProvider cdn={CDN_ORIGIN}>
          <CartProvider>
            <Header categories={categories} />
            {children}
            <Footer categories={categories} collections={collections} />
          </CartProvider>
        </AssetOriginProvider>
      </body>
    </html>
  );
}
