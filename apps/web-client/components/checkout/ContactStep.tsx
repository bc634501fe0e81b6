'use client';

import type { Address } from '@e3d/contracts';
import { type Dispatch, type FormEvent, useEffect, useRef } from 'react';
import { api, isApiError } from '@/lib/client-api';
import { apiFieldErrors } from '../account/forms';
import { type CartView, updateCartDetails } from '../cart/cart-store';
import ui from '../cart/ui.module.css';
import { AddressFields } from './AddressFields';
import { addressBody, checkAddress, formatAddressLines } from './address';
import styles from './CheckoutPage.module.css';
import type { CheckoutAction, CheckoutState } from './checkout-reducer';
import { countryName } from './countries';
import { focusFirstInvalid, TextField } from './Field';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELD_LABELS: Record<string, string> = {
  email: 'Email',
  name: 'Full name',
  company: 'Company',
  line1: 'Address',
  line2: 'Apartment, suite, etc.',
  city: 'City',
  region: 'State or region',
  postalCode: 'Postal code',
  country: 'Country',
  phone: 'Phone',
};

/**
 * Step 1: the email and shipping address (from the address book when signed in), saved to the
 * cart; once past it, what was given and a way back.
 */
export function ContactStep({
  state,
  dispatch,
  cart,
  signedIn,
  active,
  onSaved,
  onChange,
}: {
  state: CheckoutState;
  dispatch: Dispatch<CheckoutAction>;
  cart: CartView;
  signedIn: boolean;
  active: boolean;
  /** The details are on the cart (the step moved on). */
  onSaved: () => void;
  /** The shopper asked to change them. */
  onChange: () => void;
}) {
  const { email, address, errors, savedAddresses } = state;
  const formRef = useRef<HTMLFormElement>(null);
  const focusErrors = useRef(false);

  // After the messages render: focus the first field that has one.
  useEffect(() => {
    if (focusErrors.current) {
      focusErrors.current = false;
      focusFirstInvalid(formRef.current);
    }
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!EMAIL.test(email.trim())) found.email = 'Enter an email address like name@example.com.';
    Object.assign(found, checkAddress(address));
    dispatch({ type: 'details-submitted', errors: found });
    if (Object.keys(found).length > 0) {
      focusErrors.current = true;
      return;
    }
    try {
      const body = addressBody(address);
      await updateCartDetails({ email: email.trim(), shippingAddress: body });
      const known = savedAddresses.some(
        (a) => a.line1 === body.line1 && a.postalCode === body.postalCode && a.country === body.country,
      );
      if (signedIn && state.saveToBook && !known) {
        api
          .post<Address>('/api/me/addresses', body)
          .then((created) => dispatch({ type: 'address-book-added', address: created }))
          .catch(() => undefined);
      }
      dispatch({ type: 'details-saved' });
      onSaved();
    } catch (error) {
      // The API's messages, on the fields they are about ("shippingAddress.name: is required").
      const mapped = apiFieldErrors(error, FIELD_LABELS);
      if (Object.keys(mapped).length > 0) focusErrors.current = true;
      dispatch({
        type: 'details-refused',
        errors: mapped,
        message: isApiError(error) ? error.detail : 'Your details could not be saved. Try again.',
      });
    }
  };

  if (!active) {
    return (
      <div className={styles.done}>
        <div>
          <p className={styles.tight}>{cart.email}</p>
          {cart.shippingAddress ? (
            <address className={styles.address}>
              {formatAddressLines(cart.shippingAddress, countryName).join(', ')}
            </address>
          ) : null}
        </div>
        <button type="button" className={ui.linkButton} onClick={onChange}>
          Change<span className="visually-hidden"> contact and address</span>
        </button>
      </div>
    );
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className={styles.form}>
      {state.formError ? (
        <p className={ui.alert} role="alert">
          {state.formError}
        </p>
      ) : null}
      <TextField
        id="checkout-email"
        label="Email"
        type="email"
        name="email"
        autoComplete="email"
        inputMode="email"
        spellCheck={false}
        value={email}
        onChange={(e) => dispatch({ type: 'email-changed', email: e.target.value })}
        error={errors.email}
        hint="For your receipt and delivery updates"
      />
      <fieldset className={styles.fieldset}>
        <legend className={styles.legend}>Shipping address</legend>
        {savedAddresses.length > 0 ? (
          <div className={styles.savedList}>
            <label htmlFor="checkout-saved" className={styles.smallLabel}>
              Saved addresses
            </label>
            <select
              id="checkout-saved"
              className={styles.select}
              defaultValue=""
              onChange={(e) => {
                const chosen = savedAddresses.find((a) => a.id === e.target.value);
                if (chosen) dispatch({ type: 'saved-address-chosen', address: chosen });
              }}
            >
              <option value="">Choose a saved address…</option>
              {savedAddresses.map((a) => (
                <option key={a.id} value={a.id}>
                  {[a.name, a.line1, a.city, a.postalCode].join(', ')}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <AddressFields
          values={address}
          onChange={(field, value) => dispatch({ type: 'address-changed', field, value })}
          errors={errors}
          idPrefix="checkout"
        />
        {signedIn ? (
          <label className={styles.checkbox}>
            <input
              type="checkbox"
              checked={state.saveToBook}
              onChange={(e) => dispatch({ type: 'save-to-book-changed', value: e.target.checked })}
            />
            Save this address to my account
          </label>
        ) : null}
      </fieldset>
      <button type="submit" className={`${ui.primary} ${styles.next}`} disabled={state.savingDetails}>
        {state.savingDetails ? <span className={ui.spinner} aria-hidden="true" /> : null}
        Continue to shipping
      </button>
    </form>
  );
}
