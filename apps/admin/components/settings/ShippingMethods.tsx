'use client';

import type { ShippingMethodDoc } from '@e3d/contracts';
import { ResourceDeleteDialog } from '@/components/crud/ResourceDeleteDialog';
import { type Column, ResourceTable } from '@/components/crud/ResourceTable';
import { useResourceList } from '@/components/crud/useResourceList';
import { EditDeleteActions } from '@/components/ui/RowActions';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatMoney } from '@/lib/format';
import { useShopCurrency } from '@/lib/use-shop-currency';
import { EmptyState, SettingsSection } from './SettingsSection';
import { ShippingMethodDialog } from './ShippingMethodDialog';
import { destinationsSummary, lowestPrice } from './shipping-rates';

function deliveryDays(method: ShippingMethodDoc): string {
  const { minDays, maxDays } = method;
  if (minDays == null && maxDays == null) return '—';
  if (minDays != null && maxDays != null)
    return minDays === maxDays ? `${minDays} days` : `${minDays}–${maxDays} days`;
  return minDays != null ? `${minDays}+ days` : `up to ${maxDays} days`;
}

const money = (amount: number | null, currency: string) =>
  amount === null ? '—' : formatMoney(amount, currency);

const COLUMNS: Column<ShippingMethodDoc>[] = [
  {
    header: 'Name',
    cell: (method) => (
      <>
        <strong>{method.name}</strong>
        {method.description && <div className="muted">{method.description}</div>}
      </>
    ),
  },
  { header: 'Code', className: 'mono', cell: (method) => method.code },
  { header: 'Destinations', cell: destinationsSummary },
  { header: 'From', numeric: true, cell: (method) => money(lowestPrice(method), method.currency) },
  { header: 'Free over', numeric: true, cell: (method) => money(method.freeOver, method.currency) },
  { header: 'Delivery', cell: deliveryDays },
  { header: 'Status', cell: (method) => <StatusBadge status={method.active ? 'active' : 'inactive'} /> },
];

/** Shipping methods in checkout order, with their prices by destination and weight. */
export function ShippingMethods() {
  const shopCurrency = useShopCurrency();
  const methods = useResourceList<ShippingMethodDoc>({
    path: '/api/admin/shipping-methods',
    notices: {
      created: (method) => `${method.name} added.`,
      saved: (method) => `${method.name} saved.`,
      deleted: (method) => `${method.name} deleted.`,
    },
  });

  return (
    <SettingsSection
      title="Shipping methods"
      description="What checkout offers, priced by destination and parcel weight."
      actions={
        <button type="button" className="button primary" onClick={methods.create} disabled={!shopCurrency}>
          Add shipping method
        </button>
      }
    >
      <ResourceTable
        list={methods}
        what="Shipping methods"
        empty={<EmptyState>No shipping methods yet: shoppers cannot check out physical goods.</EmptyState>}
        columns={COLUMNS}
        actions={(method) => (
          <EditDeleteActions
            name={method.name}
            onEdit={() => methods.edit(method)}
            onDelete={() => methods.askDelete(method)}
          />
        )}
      />
      {shopCurrency && <ShippingMethodDialog list={methods} shopCurrency={shopCurrency} />}
      <ResourceDeleteDialog list={methods} title="Delete shipping method" confirmLabel="Delete method">
        {(method) => (
          <p>
            Delete “{method.name}”? Placed orders keep their shipping; carts that chose it must choose again.
            To stop offering it for now, edit it and untick Active instead.
          </p>
        )}
      </ResourceDeleteDialog>
    </SettingsSection>
  );
}
