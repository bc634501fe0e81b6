'use client';

import type { TaxRateDoc } from '@e3d/contracts';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { LoadState } from '@/components/ui/LoadState';
import { EditDeleteActions } from '@/components/ui/RowActions';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { withoutRow, withRow } from '@/lib/list-updates';
import { useApiData } from '@/lib/use-api-data';
import { EmptyState, SettingsSection } from './SettingsSection';
import { TaxRateDialog } from './TaxRateDialog';
import { countryName, ppmToPercent } from './units';

type Editing = { rate: TaxRateDoc | null } | null;

/** The tax table: one rate per country, region and product category. */
export function TaxRates() {
  const { notify } = useToasts();
  const rates = useApiData<{ items: TaxRateDoc[] }>('/api/admin/tax-rates');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<TaxRateDoc | null>(null);
  const items = rates.data?.items ?? [];

  return (
    <SettingsSection
      title="Tax rates"
      description="The most specific rate wins: region and category first, then the country's standard rate."
      actions={
        <button type="button" className="button primary" onClick={() => setEditing({ rate: null })}>
          Add tax rate
        </button>
      }
    >
      {!rates.data ? (
        <LoadState resource={rates} what="Tax rates" />
      ) : items.length === 0 ? (
        <EmptyState>No tax rates yet: orders are charged no tax.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Country</th>
                <th scope="col">Region</th>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Rate
                </th>
                <th scope="col">Shipping</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((rate) => (
                <tr key={rate.id}>
                  <td>{rate.name || <span className="muted">—</span>}</td>
                  <td>
                    <abbr title={countryName(rate.country)}>{rate.country}</abbr>
                  </td>
                  <td>{rate.region ?? <span className="muted">All</span>}</td>
                  <td>{rate.category ?? <span className="muted">Standard</span>}</td>
                  <td className="num">{ppmToPercent(rate.ratePpm)}%</td>
                  <td>{rate.appliesToShipping ? 'Taxed' : <span className="muted">No</span>}</td>
                  <td>
                    <EditDeleteActions
                      name={`${rate.name || 'rate'} ${rate.country}${rate.region ? `-${rate.region}` : ''}`}
                      onEdit={() => setEditing({ rate })}
                      onDelete={() => setDeleting(rate)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <TaxRateDialog
        key={editing?.rate?.id ?? 'new'}
        open={editing !== null}
        rate={editing?.rate ?? null}
        onClose={() => setEditing(null)}
        onSaved={(saved, created) => {
          setEditing(null);
          notify(created ? 'Tax rate added.' : 'Tax rate saved.');
          rates.reload();
          rates.setData(withRow(saved));
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete tax rate"
        confirmLabel="Delete rate"
        busyLabel="Deleting…"
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await api.delete(`/api/admin/tax-rates/${deleting.id}`);
          rates.setData(withoutRow(deleting.id));
          notify('Tax rate deleted.');
        }}
      >
        {deleting && (
          <p>
            Delete the {ppmToPercent(deleting.ratePpm)}% rate{deleting.name ? ` “${deleting.name}”` : ''} for{' '}
            {countryName(deleting.country)}
            {deleting.region ? ` (${deleting.region})` : ''}
            {deleting.category ? `, category ${deleting.category}` : ''}? New orders there are taxed by the
            next matching rate, or not at all. Placed orders keep their tax.
          </p>
        )}
      </ConfirmDialog>
    </SettingsSection>
  );
}
