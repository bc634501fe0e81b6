'use client';

import type { ShippingMethodCreate, ShippingMethodDoc } from '@e3d/contracts';
import { DraftCheck, DraftText } from '@/components/crud/DraftFields';
import { type Checked, ResourceDialog } from '@/components/crud/ResourceDialog';
import type { ResourceList } from '@/components/crud/useResourceList';
import { Field } from '@/components/ui/Field';
import { amountInput, currencyDigits, parseAmount } from '@/lib/format';
import { CurrencyOptions } from './CurrencyOptions';
import { ShippingRateGrid } from './ShippingRateGrid';
import { buildRates, emptyGrid, gridOf, placeRateErrors, type RateGrid } from './shipping-rates';

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
  /** The code was typed (or saved before): the name no longer suggests it. */
  codeTouched: boolean;
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
    codeTouched: Boolean(method),
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

function check(draft: Draft): Checked<ShippingMethodCreate> {
  const digits = currencyDigits(draft.currency);
  const built = buildRates(draft.grid, digits);
  const errors: Record<string, string> = { ...built.errors };
  if (!draft.name.trim()) errors.name = 'is required';
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(draft.code.trim()))
    errors.code = 'must be 1–64 letters, digits, - or _';
  const freeOver = draft.freeOver.trim() ? parseAmount(draft.freeOver, digits) : null;
  if (draft.freeOver.trim() && freeOver === null)
    errors.freeOver = 'must be an amount, or empty for never free';
  const minDays = parseDays(draft.minDays);
  const maxDays = parseDays(draft.maxDays);
  if (minDays === undefined) errors.minDays = 'must be a whole number of days from 0 to 365';
  if (maxDays === undefined) errors.maxDays = 'must be a whole number of days from 0 to 365';
  if (minDays != null && maxDays != null && minDays > maxDays)
    errors.maxDays = 'must not be below the minimum';
  const position = Number(draft.position.trim() || '0');
  if (!Number.isInteger(position) || position < 0 || position > 100_000)
    errors.position = 'must be a whole number from 0 to 100000';
  if (Object.keys(errors).length > 0) return { errors, formError: 'Check the highlighted fields.' };
  return {
    body: {
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
    },
    mapErrors: (fields) => placeRateErrors(fields, built.origin),
  };
}

/** Creates or edits a shipping method with its rates grid. */
export function ShippingMethodDialog({
  list,
  shopCurrency,
}: {
  list: ResourceList<ShippingMethodDoc>;
  shopCurrency: string;
}) {
  return (
    <ResourceDialog
      list={list}
      title={(method) => (method ? `Edit ${method.name}` : 'Add shipping method')}
      submitLabel={(method) => (method ? 'Save method' : 'Add method')}
      fallbackError="The shipping method could not be saved."
      draftOf={(method) => draftOf(method, shopCurrency)}
      check={check}
      // The rates grid needs more room than the default width.
      size="xlarge"
    >
      {(form) => {
        const { draft, set, setDraft, errors } = form;
        return (
          <>
            <div className="form-grid">
              <Field label="Name" hint="What shoppers see, e.g. Standard delivery." error={errors.name}>
                <input
                  type="text"
                  value={draft.name}
                  maxLength={200}
                  required
                  onChange={(e) => {
                    const name = e.target.value;
                    setDraft((d) => ({ ...d, name, code: d.codeTouched ? d.code : codeFrom(name) }));
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
                  onChange={(e) => setDraft((d) => ({ ...d, code: e.target.value, codeTouched: true }))}
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
              <DraftText
                form={form}
                name="freeOver"
                label={`Free over (${draft.currency}, optional)`}
                hint="Free when the goods total after discounts reaches this. Empty: never free."
                inputMode="decimal"
              />
            </div>
            <div className="form-grid">
              <DraftText
                form={form}
                name="minDays"
                label="Delivery from (days)"
                hint="Optional"
                inputMode="numeric"
              />
              <DraftText
                form={form}
                name="maxDays"
                label="Delivery to (days)"
                hint="Optional"
                inputMode="numeric"
              />
              <DraftText
                form={form}
                name="position"
                label="Position"
                hint="Lower comes first at checkout."
                inputMode="numeric"
              />
            </div>
            <DraftCheck
              form={form}
              name="active"
              label="Active"
              hint="Inactive methods are not offered at checkout."
            />
            <ShippingRateGrid
              grid={draft.grid}
              onChange={(grid) => set('grid', grid)}
              errors={errors}
              currency={draft.currency}
            />
          </>
        );
      }}
    </ResourceDialog>
  );
}
