'use client';

import type { PromotionCreate, PromotionDoc } from '@e3d/contracts';
import { useId } from 'react';
import { DraftCheck, DraftText } from '@/components/crud/DraftFields';
import { type Checked, ResourceDialog } from '@/components/crud/ResourceDialog';
import type { ResourceList } from '@/components/crud/useResourceList';
import { Field } from '@/components/ui/Field';
import { amountInput, currencyDigits, parseAmount } from '@/lib/format';
import { CurrencyOptions } from './CurrencyOptions';
import {
  basisPointsToPercent,
  fromLocalInput,
  localTimeZone,
  percentToBasisPoints,
  toLocalInput,
} from './units';

interface Draft {
  code: string;
  description: string;
  kind: 'percentage' | 'fixed';
  percent: string;
  amount: string;
  /** '' for a percentage that works in any currency. */
  currency: string;
  minimum: string;
  startsAt: string;
  expiresAt: string;
  usageLimit: string;
  active: boolean;
}

function draftOf(p: PromotionDoc | null, shopCurrency: string): Draft {
  const currency = p ? (p.currency ?? '') : '';
  const digits = currencyDigits(currency || shopCurrency);
  return {
    code: p?.code ?? '',
    description: p?.description ?? '',
    kind: p?.kind ?? 'percentage',
    percent: p?.basisPoints != null ? basisPointsToPercent(p.basisPoints) : '',
    amount: p?.amount != null ? amountInput(p.amount, digits) : '',
    currency,
    minimum: p?.minimumSubtotal != null ? amountInput(p.minimumSubtotal, digits) : '',
    startsAt: toLocalInput(p?.startsAt),
    expiresAt: toLocalInput(p?.expiresAt),
    usageLimit: p?.usageLimit != null ? String(p.usageLimit) : '',
    active: p?.active ?? true,
  };
}

/** The currency amounts are in: a fixed amount's is always one (the shop's unless chosen). */
function currencyOf(draft: Draft, shopCurrency: string): string {
  return draft.kind === 'fixed' ? draft.currency || shopCurrency : draft.currency;
}

function check(draft: Draft, shopCurrency: string): Checked<PromotionCreate> {
  const currency = currencyOf(draft, shopCurrency);
  const digits = currencyDigits(currency || shopCurrency);
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(draft.code.trim()))
    errors.code = 'must be 1–64 letters, digits, - or _';
  let basisPoints: number | null = null;
  let amount: number | null = null;
  if (draft.kind === 'percentage') {
    basisPoints = percentToBasisPoints(draft.percent);
    if (basisPoints === null || basisPoints < 1 || basisPoints > 10_000)
      errors.basisPoints = 'must be a percentage from 0.01 to 100';
  } else {
    amount = parseAmount(draft.amount, digits);
    if (amount === null || amount < 1) errors.amount = 'must be an amount above 0';
  }
  const minimumSubtotal = draft.minimum.trim() ? parseAmount(draft.minimum, digits) : null;
  if (draft.minimum.trim() && minimumSubtotal === null)
    errors.minimumSubtotal = 'must be an amount, or empty for none';
  const startsAt = fromLocalInput(draft.startsAt);
  const expiresAt = fromLocalInput(draft.expiresAt);
  if (startsAt === undefined) errors.startsAt = 'is not a date and time';
  if (expiresAt === undefined) errors.expiresAt = 'is not a date and time';
  if (startsAt && expiresAt && Date.parse(expiresAt) <= Date.parse(startsAt))
    errors.expiresAt = 'must be after the start';
  const usageLimit = draft.usageLimit.trim() ? Number(draft.usageLimit.trim()) : null;
  if (usageLimit !== null && (!Number.isInteger(usageLimit) || usageLimit < 1))
    errors.usageLimit = 'must be a whole number above 0, or empty for unlimited';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      code: draft.code.trim().toUpperCase(),
      description: draft.description.trim(),
      kind: draft.kind,
      basisPoints,
      amount,
      currency: currency || null,
      minimumSubtotal,
      startsAt: startsAt ?? null,
      expiresAt: expiresAt ?? null,
      usageLimit,
      active: draft.active,
    },
  };
}

/** Creates or edits a promotion code. */
export function PromotionDialog({
  list,
  shopCurrency,
}: {
  list: ResourceList<PromotionDoc>;
  shopCurrency: string;
}) {
  // Names the kind radio group, unique per dialog.
  const formId = useId();
  const zone = localTimeZone();
  return (
    <ResourceDialog
      list={list}
      title={(promotion) => (promotion ? `Edit ${promotion.code}` : 'Create promotion')}
      submitLabel={(promotion) => (promotion ? 'Save promotion' : 'Create promotion')}
      fallbackError="The promotion could not be saved."
      draftOf={(promotion) => draftOf(promotion, shopCurrency)}
      check={(draft) => check(draft, shopCurrency)}
    >
      {(form) => {
        const { record: promotion, draft, set, errors } = form;
        const currency = currencyOf(draft, shopCurrency);
        const amountCurrency = currency || shopCurrency;
        return (
          <>
            {promotion && promotion.usedCount > 0 && (
              <p className="notice warning">
                Orders have used this code {promotion.usedCount} times; changes apply to orders from now on.
              </p>
            )}
            <DraftText
              form={form}
              name="code"
              label="Code"
              hint="What shoppers type; not case-sensitive."
              maxLength={64}
              required
              autoComplete="off"
              style={{ textTransform: 'uppercase' }}
            />
            <DraftText
              form={form}
              name="description"
              label="Description (optional)"
              hint="For staff; not shown to shoppers."
              maxLength={2000}
            />
            <fieldset className="row" style={{ border: 'none', margin: 0, padding: 0, gap: '1rem' }}>
              <legend style={{ fontWeight: 500, padding: 0, marginBottom: '0.35rem' }}>Discount type</legend>
              <label className="row">
                <input
                  type="radio"
                  name={`${formId}-kind`}
                  checked={draft.kind === 'percentage'}
                  onChange={() => set('kind', 'percentage')}
                />
                Percentage off
              </label>
              <label className="row">
                <input
                  type="radio"
                  name={`${formId}-kind`}
                  checked={draft.kind === 'fixed'}
                  onChange={() => set('kind', 'fixed')}
                />
                Fixed amount off
              </label>
            </fieldset>
            <div className="form-grid">
              {draft.kind === 'percentage' ? (
                <DraftText
                  form={form}
                  name="percent"
                  errorKey="basisPoints"
                  label="Percentage off (%)"
                  hint="e.g. 15 or 12.5"
                  inputMode="decimal"
                  required
                />
              ) : (
                <DraftText
                  form={form}
                  name="amount"
                  label={`Amount off (${amountCurrency})`}
                  inputMode="decimal"
                  required
                />
              )}
              <Field
                label="Currency"
                hint={
                  draft.kind === 'fixed'
                    ? 'Only carts in this currency can use it.'
                    : 'Optional: limit it to carts in one currency.'
                }
                error={errors.currency}
              >
                <select value={currency} onChange={(e) => set('currency', e.target.value)}>
                  {draft.kind === 'percentage' && <option value="">Any currency</option>}
                  <CurrencyOptions current={currency} />
                </select>
              </Field>
            </div>
            <DraftText
              form={form}
              name="minimum"
              errorKey="minimumSubtotal"
              label={`Minimum subtotal (${amountCurrency}, optional)`}
              hint="The cart subtotal before discount needed to use the code."
              inputMode="decimal"
            />
            <div className="form-grid">
              <DraftText
                form={form}
                name="startsAt"
                type="datetime-local"
                label="Starts (optional)"
                hint={`Your time zone: ${zone}. Empty: at once.`}
              />
              <DraftText
                form={form}
                name="expiresAt"
                type="datetime-local"
                label="Ends (optional)"
                hint="Not valid from this moment on. Empty: never."
              />
            </div>
            <DraftText
              form={form}
              name="usageLimit"
              label="Usage limit (optional)"
              hint="Orders that may use it in total. Empty: unlimited."
              inputMode="numeric"
            />
            <DraftCheck
              form={form}
              name="active"
              label="Active"
              hint="Untick to stop shoppers redeeming it (orders that used it keep their discount)."
            />
          </>
        );
      }}
    </ResourceDialog>
  );
}
