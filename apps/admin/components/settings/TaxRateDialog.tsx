'use client';

import type { TaxRateCreate, TaxRateDoc } from '@e3d/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { CheckField, Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import { api } from '@/lib/api';
import { useFormSubmit } from '@/lib/use-form-submit';
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

/** Adds a tax rate (`rate` null) or edits one; the rate is typed in percent and stored in ppm. */
export function TaxRateDialog({
  open,
  rate,
  onClose,
  onSaved,
}: {
  open: boolean;
  rate: TaxRateDoc | null;
  onClose: () => void;
  onSaved: (rate: TaxRateDoc, created: boolean) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(rate));
  const { busy, errors, setErrors, formError, setFormError, reset, submit } = useFormSubmit(
    'The tax rate could not be saved.',
  );

  useEffect(() => {
    if (!open) return;
    setDraft(draftOf(rate));
    reset();
  }, [open, rate, reset]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const ratePpm = percentToPpm(draft.percent);
    const local: Record<string, string> = {};
    if (!/^[A-Za-z]{2}$/.test(draft.country.trim()))
      local.country = 'must be a two-letter country code like DE or US';
    if (ratePpm === null || ratePpm > 1_000_000)
      local.ratePpm = 'must be a percentage from 0 to 100, with at most 4 decimals (8.875)';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0 || ratePpm === null) return;
    const body: TaxRateCreate = {
      name: draft.name.trim(),
      country: draft.country.trim().toUpperCase(),
      region: draft.region.trim() ? draft.region.trim().toUpperCase() : null,
      category: draft.category.trim() ? draft.category.trim().toLowerCase() : null,
      ratePpm,
      appliesToShipping: draft.appliesToShipping,
    };
    const saved = await submit(() =>
      rate
        ? api.patch<TaxRateDoc>(`/api/admin/tax-rates/${rate.id}`, body)
        : api.post<TaxRateDoc>('/api/admin/tax-rates', body),
    );
    if (saved) onSaved(saved, !rate);
  };

  const country = draft.country.trim();
  return (
    <FormDialog
      open={open}
      title={rate ? 'Edit tax rate' : 'Add tax rate'}
      onClose={onClose}
      onSubmit={onSubmit}
      busy={busy}
      error={formError}
      submitLabel={rate ? 'Save rate' : 'Add rate'}
    >
      <Field label="Name" hint="Shown on invoices, e.g. VAT or Sales tax." error={errors.name}>
        <input type="text" value={draft.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />
      </Field>
      <div className="form-grid">
        <Field
          label="Country"
          hint={/^[A-Za-z]{2}$/.test(country) ? countryName(country) : 'ISO code, e.g. DE, US'}
          error={errors.country}
        >
          <input
            type="text"
            value={draft.country}
            maxLength={2}
            autoComplete="off"
            required
            style={{ textTransform: 'uppercase' }}
            onChange={(e) => set('country', e.target.value)}
          />
        </Field>
        <Field
          label="Region (optional)"
          hint="Empty: the whole country. e.g. CA or US-NY"
          error={errors.region}
        >
          <input
            type="text"
            value={draft.region}
            maxLength={6}
            autoComplete="off"
            style={{ textTransform: 'uppercase' }}
            onChange={(e) => set('region', e.target.value)}
          />
        </Field>
      </div>
      <div className="form-grid">
        <Field label="Rate (%)" hint="e.g. 20 or 8.875" error={errors.ratePpm}>
          <input
            type="text"
            inputMode="decimal"
            value={draft.percent}
            required
            onChange={(e) => set('percent', e.target.value)}
          />
        </Field>
        <Field
          label="Product tax category (optional)"
          hint="Empty: the standard rate. e.g. reduced, food"
          error={errors.category}
        >
          <input
            type="text"
            value={draft.category}
            maxLength={64}
            autoComplete="off"
            onChange={(e) => set('category', e.target.value)}
          />
        </Field>
      </div>
      <CheckField
        label="Tax shipping at this rate"
        hint="Read from the country's standard rate (no category)."
        error={errors.appliesToShipping}
        checked={draft.appliesToShipping}
        onChange={(value) => set('appliesToShipping', value)}
      />
    </FormDialog>
  );
}
