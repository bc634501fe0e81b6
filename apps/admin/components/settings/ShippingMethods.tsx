'use client';

import type { ShippingMethodDoc } from '@e3d/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadState } from '@/components/ui/LoadState';
import { EditDeleteActions } from '@/components/ui/RowActions';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { formatMoney } from '@/lib/format';
import { withoutRow, withRow } from '@/lib/list-updates';
import { useApiData } from '@/lib/use-api-data';
import { useShopCurrency } from '@/lib/use-shop-currency';
import { EmptyState, SettingsSection } from './SettingsSection';
import { ShippingMethodDialog } from './ShippingMethodDialog';
import { destinationsSummary, lowestPrice } from './shipping-rates';

type Editing = { method: ShippingMethodDoc | null } | null;

function deliveryDays(method: ShippingMethodDoc): string {
  const { minDays, maxDays } = method;
  if (minDays == null && maxDays == null) return '—';
  if (minDays != null && maxDays != null)
    return minDays === maxDays ? `${minDays} days` : `${minDays}–${maxDays} days`;
  return minDays != null ? `${minDays}+ days` : `up to ${maxDays} days`;
}

/** Shipping methods in checkout order, with their prices by destination and weight. */
export function ShippingMethods() {
  const { notify } = useToasts();
  const methods = useApiData<{ items: ShippingMethodDoc[] }>('/api/admin/shipping-methods');
  const shopCurrency = useShopCurrency();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<ShippingMethodDoc | null>(null);
  const items = methods.data?.items ?? [];

  return (
    <SettingsSection
      title="Shipping methods"
      description="What checkout offers, priced by destination and parcel weight."
      actions={
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing({ method: null })}
          disabled={!shopCurrency}
        >
          Add shipping method
        </button>
      }
    >
      {!methods.data ? (
        <LoadState resource={methods} what="Shipping methods" />
      ) : items.length === 0 ? (
        <EmptyState>No shipping methods yet: shoppers cannot check out physical goods.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Code</th>
                <th scope="col">Destinations</th>
                <th scope="col" className="num">
                  From
                </th>
                <th scope="col" className="num">
                  Free over
                </th>
                <th scope="col">Delivery</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((method) => {
                const lowest = lowestPrice(method);
                return (
                  <tr key={method.id}>
                    <td>
                      <strong>{method.name}</strong>
                      {method.description && <div className="muted">{method.description}</div>}
                    </td>
                    <td className="mono">{method.code}</td>
                    <td>{destinationsSummary(method)}</td>
                    <td className="num">{lowest === null ? '—' : formatMoney(lowest, method.currency)}</td>
                    <td className="num">
                      {method.freeOver === null ? '—' : formatMoney(method.freeOver, method.currency)}
                    </td>
                    <td>{deliveryDays(method)}</td>
                    <td>
                      <StatusBadge status={method.active ? 'active' : 'inactive'} />
                    </td>
                    <td>
                      <EditDeleteActions
                        name={method.name}
                        onEdit={() => setEditing({ method })}
                        onDelete={() => setDeleting(method)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {shopCurrency && (
        <ShippingMethodDialog
          key={editing?.method?.id ?? 'new'}
          open={editing !== null}
          method={editing?.method ?? null}
          shopCurrency={shopCurrency}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            notify(created ? `${saved.name} added.` : `${saved.name} saved.`);
            methods.setData(withRow(saved));
            methods.reload();
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete shipping method"
        confirmLabel="Delete method"
        busyLabel="Deleting…"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.delete(`/api/admin/shipping-methods/${deleting.id}`);
          methods.setData(withoutRow(deleting.id));
          notify(`${deleting.name} deleted.`);
        }}
      >
        {deleting && (
          <p>
            Delete “{deleting.name}”? Placed orders keep their shipping; carts that chose it must choose
            again. To stop offering it for now, edit it and untick Active instead.
          </p>
        )}
      </ConfirmDialog>
    </SettingsSection>
  );
}
