'use client';

import type { ShippingMethodCreate, ShippingMethodDoc } from '@e3d/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { CheckField, Field } from '@/components/ui/Field';
import { FormDialog } from '@/components/ui/FormDialog';
import { api } from '@/lib/api';
import { amountInput, currencyDigits, parseAmount } from '@/lib/format';
import { useFormSubmit } from '@/lib/use-form-submit';
import { CurrencyOptions } from './CurrencyOptions';
import { ShippingRateGrid } from './ShippingRateGrid';
import {
  buildRates,
  emptyGrid,
  type GridErrors,
  gridOf,
  placeRateErrors,
  type RateGrid,
} from './shipping-rates';

interface Draft {
  name: string;
  code: string;
  description: string;
  currency: string;
  freeOver: string;
  minDays: string;
  maxDays: string;
  position: string;
  active: boolean;
  grid: RateGrid;
}

function draftOf(method: ShippingMethodDoc | null, shopCurrency: string): Draft {
  const currency = method?.currency ?? shopCurrency;
  const digits = currencyDigits(currency);
  return {
    name: method?.name ?? '',
    code: method?.code ?? '',
    description: method?.description ?? '',
    currency,
    freeOver: method?.freeOver != null ? amountInput(method.freeOver, digits) : '',
    minDays: method?.minDays != null ? String(method.minDays) : '',
    maxDays: method?.maxDays != null ? String(method.maxDays) : '',
    position: String(method?.position ?? 0),
    active: method?.active ?? true,
    grid: method ? gridOf(method, digits) : emptyGrid(),
  };
}

const codeFrom = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** Optional whole number of days (0–365): '' → null, nonsense → undefined. */
function parseDays(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (!trimmed) return null;
  return /^\d{1,3}$/.test(trimmed) && Number(trimmed) <= 365 ? Number(trimmed) : undefined;
}

/** Creates (`method` null) or edits a shipping method with its rates grid. */
export function ShippingMethodDialog({
  open,
  method,
  shopCurrency,
  onClose,
  onSaved,
}: {
  open: boolean;
  method: ShippingMethodDoc | null;
  shopCurrency: string;
  onClose: () => void;
  onSaved: (method: ShippingMethodDoc, created: boolean) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(method, shopCurrency));
  const [codeTouched, setCodeTouched] = useState(false);
  const { busy, errors, setErrors, formError, setFormError, reset, submit } = useFormSubmit<GridErrors>(
    'The shipping method could not be saved.',
  );

  useEffect(() => {
    if (!open) return;
    setDraft(draftOf(method, shopCurrency));
    setCodeTouched(Boolean(method));
    reset();
  }, [open, method, shopCurrency, reset]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const digits = currencyDigits(draft.currency);
    const built = buildRates(draft.grid, digits);
    const local: GridErrors = { ...built.errors };
    if (!draft.name.trim()) local.name = 'is required';
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(draft.code.trim()))
      local.code = 'must be 1–64 letters, digits, - or _';
    const freeOver = draft.freeOver.trim() ? parseAmount(draft.freeOver, digits) : null;
    if (draft.freeOver.trim() && freeOver === null)
      local.freeOver = 'must be an amount, or empty for never free';
    const minDays = parseDays(draft.minDays);
    const maxDays = parseDays(draft.maxDays);
    if (minDays === undefined) local.minDays = 'must be a whole number of days from 0 to 365';
    if (maxDays === undefined) local.maxDays = 'must be a whole number of days from 0 to 365';
    if (minDays != null && maxDays != null && minDays > maxDays)
      local.maxDays = 'must not be below the minimum';
    const position = Number(draft.position.trim() || '0');
    if (!Number.isInteger(position) || position < 0 || position > 100_000)
      local.position = 'must be a whole number from 0 to 100000';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) {
      setFormError('Check the highlighted fields.');
      return;
    }
    const body: ShippingMethodCreate = {
      name: draft.name.trim(),
      code: draft.code.trim().toLowerCase(),
      description: draft.description.trim(),
      currency: draft.currency,
      rates: built.rates,
      freeOver,
      minDays: minDays ?? null,
      maxDays: maxDays ?? null,
      active: draft.active,
      position,
    };
    const saved = await submit(
      () =>
        method
          ? api.patch<ShippingMethodDoc>(`/api/admin/shipping-methods/${method.id}`, body)
          : api.post<ShippingMethodDoc>('/api/admin/shipping-methods', body),
      (fields) => placeRateErrors(fields, built.origin),
    );
    if (saved) onSaved(saved, !method);
  };

  return (
    <FormDialog
      open={open}
      title={method ? `Edit ${method.name}` : 'Add shipping method'}
      onClose={onClose}
      onSubmit={onSubmit}
      busy={busy}
      error={formError}
      submitLabel={method ? 'Save method' : 'Add method'}
      // The rates grid needs more room than the default width.
      size="xlarge"
    >
      <div className="form-grid">
        <Field label="Name" hint="What shoppers see, e.g. Standard delivery." error={errors.name}>
          <input
            type="text"
            value={draft.name}
            maxLength={200}
            required
            onChange={(e) => {
              const name = e.target.value;
              setDraft((d) => ({ ...d, name, code: codeTouched ? d.code : codeFrom(name) }));
            }}
          />
        </Field>
        <Field label="Code" hint="Stable machine name, e.g. standard or express." error={errors.code}>
          <input
            type="text"
            value={draft.code}
            maxLength={64}
            required
            autoComplete="off"
            onChange={(e) => {
              setCodeTouched(true);
              set('code', e.target.value);
            }}
          />
        </Field>
      </div>
      <Field label="Description (optional)" error={errors.description}>
        <textarea
          value={draft.description}
          maxLength={2000}
          rows={2}
          onChange={(e) => set('description', e.target.value)}
        />
      </Field>
      <div className="form-grid">
        <Field
          label="Currency"
          hint="Carts in another currency do not see this method."
          error={errors.currency}
        >
          <select value={draft.currency} onChange={(e) => set('currency', e.target.value)}>
            <CurrencyOptions current={draft.currency} />
          </select>
        </Field>
        <Field
          label={`Free over (${draft.currency}, optional)`}
          hint="Free when the goods total after discounts reaches this. Empty: never free."
          error={errors.freeOver}
        >
          <input
            type="text"
            inputMode="decimal"
            value={draft.freeOver}
            onChange={(e) => set('freeOver', e.target.value)}
          />
        </Field>
      </div>
      <div className="form-grid">
        <Field label="Delivery from (days)" hint="Optional" error={errors.minDays}>
          <input
            type="text"
            inputMode="numeric"
            value={draft.minDays}
            onChange={(e) => set('minDays', e.target.value)}
          />
        </Field>
        <Field label="Delivery to (days)" hint="Optional" error={errors.maxDays}>
          <input
            type="text"
            inputMode="numeric"
            value={draft.maxDays}
            onChange={(e) => set('maxDays', e.target.value)}
          />
        </Field>
        <Field label="Position" hint="Lower comes first at checkout." error={errors.position}>
          <input
            type="text"
            inputMode="numeric"
            value={draft.position}
            onChange={(e) => set('position', e.target.value)}
          />
        </Field>
      </div>
      <CheckField
        label="Active"
        hint="Inactive methods are not offered at checkout."
        error={errors.active}
        checked={draft.active}
        onChange={(value) => set('active', value)}
      />
      <ShippingRateGrid
        grid={draft.grid}
        onChange={(grid) => set('grid', grid)}
        errors={errors}
        currency={draft.currency}
      />
    </FormDialog>
  );
}
