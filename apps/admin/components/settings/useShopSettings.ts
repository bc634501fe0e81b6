'use client';

import type { ShopSettings } from '@e3d/contracts';
import { useApiData } from '@/lib/use-api-data';

/** The shop currency new amounts default to (null while loading or when it could not be read). */
export function useShopCurrency(): string | null {
  return useApiData<ShopSettings>('/api/admin/settings/commerce').data?.currency ?? null;
}
