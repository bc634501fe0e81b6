'use client';

import type { ShopSettings } from '@e3d/contracts';
import { useApiData } from '@/lib/use-api-data';

/**
 * The currency new amounts are entered in: the shop settings' (every staff role may read them),
 * or `known` when the thing being edited already has one. Null while loading or unreadable.
 */
export function useShopCurrency(known?: string | null): string | null {
  const shop = useApiData<ShopSettings>('/api/admin/settings/commerce').data?.currency ?? null;
  return known ?? shop;
}
