/** Address values as the checkout and address book forms hold them, and what the API takes. */
import type { PostalAddress } from '@e3d/contracts';
import { postalCodeLabel } from './countries';

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

export function addressValues(address: PostalAddress): AddressValues {
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
export function formatAddressLines(address: PostalAddress, countryName: (code: string) => string): string[] {
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
