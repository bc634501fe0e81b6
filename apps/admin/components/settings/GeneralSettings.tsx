'use client';

import type { ShopSettings, ShopSettingsUpdate } from '@e3d/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { CheckField, Field } from '@/components/ui/Field';
import { LoadState } from '@/components/ui/LoadState';
import { useToasts } from '@/components/ui/Toasts';
import { api } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { useFormSubmit } from '@/lib/use-form-submit';
import { CurrencyOptions } from './CurrencyOptions';
import { SettingsSection } from './SettingsSection';
import styles from './settings.module.css';

const PATH = '/api/admin/settings/commerce';

/** The shop's money settings: currency, tax-inclusive prices, how long checkout holds stock. */
export function GeneralSettings() {
  const { notify } = useToasts();
  const settings = useApiData<ShopSettings>(PATH);
  const [currency, setCurrency] = useState('');
  const [pricesIncludeTax, setPricesIncludeTax] = useState(false);
  const [minutes, setMinutes] = useState('');
  const { busy, errors, setErrors, formError, setFormError, submit } = useFormSubmit(
    'The settings could not be saved.',
  );

  const saved = settings.data;
  useEffect(() => {
    if (!saved) return;
    setCurrency(saved.currency);
    setPricesIncludeTax(saved.pricesIncludeTax);
    setMinutes(String(saved.reservationMinutes));
  }, [saved]);

  if (!saved) {
    return <LoadState resource={settings} what="Shop settings" />;
  }

  const dirty =
    currency !== saved.currency ||
    pricesIncludeTax !== saved.pricesIncludeTax ||
    minutes !== String(saved.reservationMinutes);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const reservationMinutes = Number(minutes);
    const local: Record<string, string> = {};
    if (!/^[A-Za-z]{3}$/.test(currency.trim()))
      local.currency = 'must be a three-letter ISO 4217 code like EUR';
    if (!Number.isInteger(reservationMinutes) || reservationMinutes < 1 || reservationMinutes > 1440)
      local.reservationMinutes = 'must be a whole number of minutes from 1 to 1440';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    const body: ShopSettingsUpdate = {
      currency: currency.trim().toUpperCase(),
      pricesIncludeTax,
      reservationMinutes,
    };
    const updated = await submit(() => api.put<ShopSettings>(PATH, body));
    if (!updated) return;
    settings.setData(updated);
    notify('Shop settings saved.');
  };

  return (
    <SettingsSection title="General" description={<>Last changed {formatDateTime(saved.updatedAt)}</>} card>
      <form className={styles.form} onSubmit={onSubmit} noValidate>
        {formError && (
          <p className="notice danger" role="alert">
            {formError}
          </p>
        )}
        <Field
          label="Currency"
          hint="Prices, carts and orders are in this currency. Existing prices keep their amounts: change it only before you sell."
          error={errors.currency}
        >
          <select value={currency} onChange={(event) => setCurrency(event.target.value)}>
            <CurrencyOptions current={currency} />
          </select>
        </Field>
        {currency !== saved.currency && (
          <p className="notice warning" role="status">
            Changing the currency from {saved.currency} to {currency} does not convert any price: every amount
            is read in the new currency.
          </p>
        )}
        <CheckField
          label="Prices include tax"
          hint="On for shops that show tax-inclusive prices (EU, UK, AU); off when tax is added at checkout (US, CA)."
          error={errors.pricesIncludeTax}
          checked={pricesIncludeTax}
          onChange={setPricesIncludeTax}
        />
        <Field
          label="Stock reservation (minutes)"
          hint="How long checkout holds stock for an order that is not paid yet (1–1440)."
          error={errors.reservationMinutes}
        >
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={1440}
            step={1}
            value={minutes}
            onChange={(event) => setMinutes(event.target.value)}
            required
          />
        </Field>
        <div className={styles.actions}>
          <button
            type="button"
            className="button"
            disabled={!dirty || busy}
            onClick={() => {
              setCurrency(saved.currency);
              setPricesIncludeTax(saved.pricesIncludeTax);
              setMinutes(String(saved.reservationMinutes));
              setErrors({});
              setFormError(null);
            }}
          >
            Discard changes
          </button>
          <button type="submit" className="button primary" disabled={!dirty || busy}>
            {busy ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </SettingsSection>
  );
}
