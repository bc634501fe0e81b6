'use client';

import type { TaxRateDoc } from '@e3d/contracts';
import { ResourceDeleteDialog } from '@/components/crud/ResourceDeleteDialog';
import { type Column, ResourceTable } from '@/components/crud/ResourceTable';
import { useResourceList } from '@/components/crud/useResourceList';
import { EditDeleteActions } from '@/components/ui/RowActions';
import { EmptyState, SettingsSection } from './SettingsSection';
import { TaxRateDialog } from './TaxRateDialog';
import { countryName, ppmToPercent } from './units';

const muted = (text: string) => <span className="muted">{text}</span>;

const COLUMNS: Column<TaxRateDoc>[] = [
  { header: 'Name', cell: (rate) => rate.name || muted('—') },
  { header: 'Country', cell: (rate) => <abbr title={countryName(rate.country)}>{rate.country}</abbr> },
  { header: 'Region', cell: (rate) => rate.region ?? muted('All') },
  { header: 'Category', cell: (rate) => rate.category ?? muted('Standard') },
  { header: 'Rate', numeric: true, cell: (rate) => `${ppmToPercent(rate.ratePpm)}%` },
  { header: 'Shipping', cell: (rate) => (rate.appliesToShipping ? 'Taxed' : muted('No')) },
];

/** What a rate is called on its row's buttons ("Edit VAT DE", "Delete rate US-CA"). */
const rateName = (rate: TaxRateDoc) =>
  `${rate.name || 'rate'} ${rate.country}${rate.region ? `-${rate.region}` : ''}`;

/** The tax table: one rate per country, region and product category. */
export function TaxRates() {
  const rates = useResourceList<TaxRateDoc>({
    path: '/api/admin/tax-rates',
    notices: {
      created: () => 'Tax rate added.',
      saved: () => 'Tax rate saved.',
      deleted: () => 'Tax rate deleted.',
    },
  });

  return (
    <SettingsSection
      title="Tax rates"
      description="The most specific rate wins: region and category first, then the country's standard rate."
      actions={
        <button type="button" className="button primary" onClick={rates.create}>
          Add tax rate
        </button>
      }
    >
      <ResourceTable
        list={rates}
        what="Tax rates"
        empty={<EmptyState>No tax rates yet: orders are charged no tax.</EmptyState>}
        columns={COLUMNS}
        actions={(rate) => (
          <EditDeleteActions
            name={rateName(rate)}
            onEdit={() => rates.edit(rate)}
            onDelete={() => rates.askDelete(rate)}
          />
        )}
      />
      <TaxRateDialog list={rates} />
      <ResourceDeleteDialog list={rates} title="Delete tax rate" confirmLabel="Delete rate">
        {(rate) => (
          <p>
            Delete the {ppmToPercent(rate.ratePpm)}% rate{rate.name ? ` “${rate.name}”` : ''} for{' '}
            {countryName(rate.country)}
            {rate.region ? ` (${rate.region})` : ''}
            {rate.category ? `, category ${rate.category}` : ''}? New orders there are taxed by the next
            matching rate, or not at all. Placed orders keep their tax.
          </p>
        )}
      </ResourceDeleteDialog>
    </SettingsSection>
  );
}
