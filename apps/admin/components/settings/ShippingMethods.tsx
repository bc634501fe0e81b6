'use client';

import type { ShippingMethodDoc } from '@e3d/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadState } from '@/components/ui/LoadState';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { formatMoney } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { ShippingMethodDialog } from './ShippingMethodDialog';
import styles from './settings.module.css';
import { destinationsSummary, lowestPrice } from './shipping-rates';
import { useShopCurrency } from './useShopSettings';

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
    <section className={styles.section} aria-labelledby="shipping-heading">
      <div className={styles.sectionHead}>
        <div>
          <h2 id="shipping-heading">Shipping methods</h2>
          <p className="muted">What checkout offers, priced by destination and parcel weight.</p>
        </div>
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing({ method: null })}
          disabled={!shopCurrency}
        >
          Add shipping method
        </button>
      </div>
      {!methods.data ? (
        <LoadState
          loading={methods.loading}
          error={methods.error}
          onRetry={methods.reload}
          what="Shipping methods"
        />
      ) : items.length === 0 ? (
        <div className={`card muted ${styles.empty}`}>
          No shipping methods yet: shoppers cannot check out physical goods.
        </div>
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
                      <div className="row" style={{ justifyContent: 'flex-end' }}>
                        <button
                          type="button"
                          className="button small"
                          onClick={() => setEditing({ method })}
                          aria-label={`Edit ${method.name}`}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button small danger"
                          onClick={() => setDeleting(method)}
                          aria-label={`Delete ${method.name}`}
                        >
                          Delete
                        </button>
                      </div>
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
            methods.setData((current) =>
              current
                ? {
                    items: created
                      ? [...current.items, saved]
                      : current.items.map((m) => (m.id === saved.id ? saved : m)),
                  }
                : current,
            );
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
          methods.setData((current) =>
            current ? { items: current.items.filter((m) => m.id !== deleting.id) } : current,
          );
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
    </section>
  );
}
