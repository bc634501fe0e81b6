'use client';

import { createContext, type ReactNode, useContext } from 'react';

/** Settings the server knows at runtime (not baked into the build like NEXT_PUBLIC_* values). */
export interface ShopConfig {
  /** The storefront's origin, for "View in shop" links. */
  storefrontUrl: string;
}

const ShopConfigContext = createContext<ShopConfig>({ storefrontUrl: 'http://localhost:3000' });

export function ShopConfigProvider({ value, children }: { value: ShopConfig; children: ReactNode }) {
  return <ShopConfigContext.Provider value={value}>{children}</ShopConfigContext.Provider>;
}

export const useShopConfig = () => useContext(ShopConfigContext);

/** The product's page in the storefront. */
export function useStorefrontProductUrl(handle: string): string {
  return `${useShopConfig().storefrontUrl.replace(/\/$/, '')}/products/${encodeURIComponent(handle)}`;
}
