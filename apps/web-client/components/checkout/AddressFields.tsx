'use client';

import { useMemo } from 'react';
import styles from './AddressFields.module.css';
import type { AddressValues } from './address';
import { countries, postalCodeLabel, US_STATES } from './countries';
import { SelectField, TextField } from './Field';

/**
 * Shipping (or address book) fields with labels, autocomplete hints and the messages of
 * `errors` (keyed by field) tied to each input.
 */
export function AddressFields({
  values,
  onChange,
  errors,
  section = 'shipping',
  idPrefix,
  disabled,
}: {
  values: AddressValues;
  onChange: (field: keyof AddressValues, value: string) => void;
  errors: Partial<Record<string, string>>;
  section?: 'shipping' | 'billing' | null;
  idPrefix: string;
  disabled?: boolean;
}) {
  const list = useMemo(() => countries(), []);
  const ac = (token: string) => (section ? `${section} ${token}` : token);
  const field = (name: keyof AddressValues) => ({
    id: `${idPrefix}-${name}`,
    name,
    value: values[name],
    error: errors[name],
    disabled,
    onChange: (event: { target: { value: string } }) => onChange(name, event.target.value),
  });
  const isUS = values.country === 'US';
  return (
    <div className={styles.grid}>
      <SelectField
        label="Country / region"
        autoComplete={ac('country')}
        className={styles.full}
        {...field('country')}
      >
        {list.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Full name"
        autoComplete={ac('name')}
        className={styles.full}
        maxLength={200}
        {...field('name')}
      />
      <TextField
        label="Company"
        optional
        autoComplete={ac('organization')}
        className={styles.full}
        maxLength={200}
        {...field('company')}
      />
      <TextField
        label="Address"
        autoComplete={ac('address-line1')}
        className={styles.full}
        maxLength={200}
        hint={isUS ? 'Street address or P.O. box' : undefined}
        {...field('line1')}
      />
      <TextField
        label="Apartment, suite, etc."
        optional
        autoComplete={ac('address-line2')}
        className={styles.full}
        maxLength={200}
        {...field('line2')}
      />
      <TextField label="City" autoComplete={ac('address-level2')} maxLength={100} {...field('city')} />
      {isUS ? (
        <SelectField label="State" autoComplete={ac('address-level1')} {...field('region')}>
          <option value="">Choose…</option>
          {US_STATES.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          label="State / province / region"
          optional
          autoComplete={ac('address-level1')}
          maxLength={100}
          {...field('region')}
        />
      )}
      <TextField
        label={postalCodeLabel(values.country)}
        autoComplete={ac('postal-code')}
        maxLength={20}
        autoCapitalize="characters"
        inputMode={isUS ? 'numeric' : 'text'}
        {...field('postalCode')}
      />
      <TextField
        label="Phone"
        optional
        type="tel"
        autoComplete={ac('tel')}
        maxLength={40}
        hint="In case the carrier needs to reach you"
        {...field('phone')}
      />
    </div>
  );
}
