'use client';

import type { AdminProductSummary, ShopSettings } from '@e3d/contracts';
import { useEffect, useState } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { api } from '@/lib/api';

/** How many decimals a currency's amounts have (2 for EUR, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/**
 * The currency new prices are entered in. The shop settings say it, but only roles with
 * orders:read may read them; a catalog editor falls back to the currency existing products use.
 * `null` while it is being found out.
 */
export function useShopCurrency(known?: string | null): string | null {
  const { can } = useStaff();
  const canReadSettings = can('orders:read');
  const [currency, setCurrency] = useState<string | null>(known ?? null);

  useEffect(() => {
    if (known) {
      setCurrency(known);
      return;
    }
    let live = true;
    const find = async () => {
      if (canReadSettings) {
        try {
          const settings = await api.get<ShopSettings>('/api/admin/settings/commerce');
          if (live) setCurrency(settings.currency);
          return;
        } catch {
          // fall through to what the catalog uses
        }
      }
      try {
        const list = await api.get<{ items: AdminProductSummary[] }>('/api/admin/products?limit=20');
        const priced = list.items.find((p) => p.priceRange);
        if (live) setCurrency(priced?.priceRange?.min.currency ?? 'EUR');
      } catch {
        if (live) setCurrency('EUR');
      }
    };
    void find();
    return () => {
      live = false;
    };
  }, [known, canReadSettings]);

  return currency;
}
