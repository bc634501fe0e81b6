'use client';

import { useMemo } from 'react';
import styles from './AddressFields.module.css';
import { countries, postalCodeLabel, US_STATES } from './countries';
import { SelectField, TextField } from './Field';

export interface AddressValues {
  name: string;
  company: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
}

export const emptyAddress = (country = 'US'): AddressValues => ({
  name: '',
  company: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country,
  phone: '',
});

type AddressLike = {
  name: string;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  region?: string | null;
  postalCode: string;
  country: string;
  phone?: string | null;
};

export function addressValues(address: AddressLike): AddressValues {
  return {
    name: address.name,
    company: address.company ?? '',
    line1: address.line1,
    line2: address.line2 ?? '',
    city: address.city,
    region: address.region ?? '',
    postalCode: address.postalCode,
    country: address.country,
    phone: address.phone ?? '',
  };
}

/** The body the API takes (empty optional fields as null). */
export function addressBody(values: AddressValues) {
  const optional = (v: string) => (v.trim() === '' ? null : v.trim());
  return {
    name: values.name.trim(),
    company: optional(values.company),
    line1: values.line1.trim(),
    line2: optional(values.line2),
    city: values.city.trim(),
    region: optional(values.region),
    postalCode: values.postalCode.trim(),
    country: values.country,
    phone: optional(values.phone),
  };
}

/** What the form can tell before asking the API (which has the last word). */
export function checkAddress(values: AddressValues): Partial<Record<keyof AddressValues, string>> {
  const errors: Partial<Record<keyof AddressValues, string>> = {};
  if (!values.name.trim()) errors.name = 'Enter your full name.';
  if (!values.line1.trim()) errors.line1 = 'Enter a street address.';
  if (!values.city.trim()) errors.city = 'Enter a city.';
  if (!values.postalCode.trim()) {
    const label = postalCodeLabel(values.country);
    errors.postalCode = `Enter a ${label === 'ZIP code' ? label : label.toLowerCase()}.`;
  }
  if (!values.country) errors.country = 'Choose a country.';
  if (values.country === 'US' && !values.region) errors.region = 'Choose a state.';
  return errors;
}

/** The address as display lines (empty parts left out). */
export function formatAddressLines(address: AddressLike, countryName: (code: string) => string): string[] {
  return [
    address.name,
    address.company ?? '',
    address.line1,
    address.line2 ?? '',
    [address.city, address.region, address.postalCode].filter(Boolean).join(', '),
    countryName(address.country),
    address.phone ?? '',
  ].filter((line) => line.trim() !== '');
}

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
