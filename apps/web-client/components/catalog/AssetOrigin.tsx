'use client';

import { createContext, type ReactNode, useCallback, useContext } from 'react';
import { assetPath } from './media';

/**
 * The CDN's origin for client components, which render asset URLs the browser fetched from the
 * API itself (search suggestions, cart and order lines). Given by the root layout, on the server,
 * from CLOUDFRONT_URL where the app runs.
 */
const CdnOrigin = createContext<string | null>(null);

export function AssetOriginProvider({ cdn, children }: { cdn: string | null; children: ReactNode }) {
  return <CdnOrigin value={cdn}>{children}</CdnOrigin>;
}

/** assetPath() with the CDN's origin: absolute URLs from the API → what this page loads. */
export function useAssetPath(): (url: string) => string {
  const cdn = useContext(CdnOrigin);
  return useCallback((url: string) => assetPath(url, cdn), [cdn]);
}
