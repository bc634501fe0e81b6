'use client';

import type { TaxRateCreate, TaxRateDoc } from '@e3d/contracts';
import { DraftCheck, DraftText } from '@/components/crud/DraftFields';
import { type Checked, ResourceDialog } from '@/components/crud/ResourceDialog';
import type { ResourceList } from '@/components/crud/useResourceList';
import { countryName, percentToPpm, ppmToPercent } from './units';

interface Draft {
  name: string;
  country: string;
  region: string;
  category: string;
  percent: string;
  appliesToShipping: boolean;
}

const draftOf = (rate: TaxRateDoc | null): Draft => ({
  name: rate?.name ?? '',
  country: rate?.country ?? '',
  region: rate?.region ?? '',
  category: rate?.category ?? '',
  percent: rate ? ppmToPercent(rate.ratePpm) : '',
  appliesToShipping: rate?.appliesToShipping ?? false,
});

const COUNTRY_CODE = /^[A-Za-z]{2}$/;

function check(draft: Draft): Checked<TaxRateCreate> {
  const ratePpm = percentToPpm(draft.percent);
  const errors: Record<string, string> = {};
  if (!COUNTRY_CODE.test(draft.country.trim()))
    errors.country = 'must be a two-letter country code like DE or US';
  if (ratePpm === null || ratePpm > 1_000_000)
    errors.ratePpm = 'must be a percentage from 0 to 100, with at most 4 decimals (8.875)';
  if (Object.keys(errors).length > 0 || ratePpm === null) return { errors };
  return {
    body: {
      name: draft.name.trim(),
      country: draft.country.trim().toUpperCase(),
      region: draft.region.trim() ? draft.region.trim().toUpperCase() : null,
      category: draft.category.trim() ? draft.category.trim().toLowerCase() : null,
      ratePpm,
      appliesToShipping: draft.appliesToShipping,
    },
  };
}

/** Adds a tax rate or edits one; the rate is typed in percent and stored in ppm. */
export function TaxRateDialog({ list }: { list: ResourceList<TaxRateDoc> }) {
  return (
    <ResourceDialog
      list={list}
      title={(rate) => (rate ? 'Edit tax rate' : 'Add tax rate')}
      submitLabel={(rate) => (rate ? 'Save rate' : 'Add rate')}
      fallbackError="The tax rate could not be saved."
      draftOf={draftOf}
      check={check}
    >
      {(form) => (
        <>
          <DraftText
            form={form}
            name="name"
            label="Name"
            hint="Shown on invoices, e.g. VAT or Sales tax."
            maxLength={200}
          />
          <div className="form-grid">
            <DraftText
              form={form}
              name="country"
              label="Country"
              hint={
                COUNTRY_CODE.test(form.draft.country.trim())
                  ? countryName(form.draft.country.trim())
                  : 'ISO code, e.g. DE, US'
              }
              maxLength={2}
              autoComplete="off"
              required
              style={{ textTransform: 'uppercase' }}
            />
            <DraftText
              form={form}
              name="region"
              label="Region (optional)"
              hint="Empty: the whole country. e.g. CA or US-NY"
              maxLength={6}
              autoComplete="off"
              style={{ textTransform: 'uppercase' }}
            />
          </div>
          <div className="form-grid">
            <DraftText
              form={form}
              name="percent"
              errorKey="ratePpm"
              label="Rate (%)"
              hint="e.g. 20 or 8.875"
              inputMode="decimal"
              required
            />
            <DraftText
              form={form}
              name="category"
              label="Product tax category (optional)"
              hint="Empty: the standard rate. e.g. reduced, food"
              maxLength={64}
              autoComplete="off"
            />
          </div>
          <DraftCheck
            form={form}
            name="appliesToShipping"
            label="Tax shipping at this rate"
            hint="Read from the country's standard rate (no category)."
          />
        </>
      )}
    </ResourceDialog>
  );
}
