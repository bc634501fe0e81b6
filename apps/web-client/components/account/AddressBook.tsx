'use client';

import type { Address } from '@e3d/contracts';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { api } from '@/lib/client-api';
import ui from '../cart/ui.module.css';
import { AddressFields } from '../checkout/AddressFields';
import {
  type AddressValues,
  addressBody,
  addressValues,
  checkAddress,
  emptyAddress,
  formatAddressLines,
} from '../checkout/address';
import { countryName } from '../checkout/countries';
import { focusFirstInvalid } from '../checkout/Field';
import styles from './account.module.css';
import { apiFieldErrors, errorText } from './forms';

const LABELS: Record<string, string> = {
  name: 'Name',
  line1: 'Address',
  line2: 'Apartment',
  city: 'City',
  region: 'Region',
  postalCode: 'Postal code',
  country: 'Country',
  phone: 'Phone',
  company: 'Company',
};

/** The customer's addresses: add, edit, delete, and choose the default for shipping. */
export function AddressBook() {
  const [items, setItems] = useState<Address[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [confirming, setConfirming] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const load = useCallback(async () => {
    try {
      const { items: list } = await api.get<{ items: Address[] }>('/api/me/addresses');
      setItems(list);
    } catch (caught) {
      setError(errorText(caught, 'Your addresses could not be loaded.'));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (id: string, run: () => Promise<unknown>, done: string) => {
    setBusy(id);
    setError(null);
    try {
      await run();
      await load();
      setNotice(done);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(null);
    }
  };

  const remove = (address: Address) => {
    setConfirming(null);
    void act(address.id, () => api.delete(`/api/me/addresses/${address.id}`), 'Address deleted.').then(() =>
      addButton.current?.focus(),
    );
  };

  if (!items) {
    return error ? (
      <p className={ui.alert} role="alert">
        {error}
      </p>
    ) : (
      <div aria-busy="true" className={styles.stack}>
        <div className={ui.skeleton} style={{ height: 140 }} />
        <span className="visually-hidden">Loading your addresses…</span>
      </div>
    );
  }

  return (
    <div className={styles.stack}>
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      {error ? (
        <p className={ui.alert} role="alert">
          {error}
        </p>
      ) : null}
      {items.length === 0 && editing !== 'new' ? (
        <p className={ui.muted}>
          You have no saved addresses yet. Addresses you save here are offered at checkout.
        </p>
      ) : null}
      <ul className={styles.addresses}>
        {items.map((address) =>
          editing === address.id ? (
            <li key={address.id} className={styles.addressCard}>
              <AddressForm
                initial={address}
                onCancel={() => setEditing(null)}
                onSaved={async () => {
                  setEditing(null);
                  await load();
                  setNotice('Address saved.');
                }}
              />
            </li>
          ) : (
            <li key={address.id} className={styles.addressCard} aria-busy={busy === address.id}>
              <div className={styles.badges}>
                {address.isDefaultShipping ? <span className={styles.badge}>Default shipping</span> : null}
                {address.isDefaultBilling ? <span className={styles.badge}>Default billing</span> : null}
              </div>
              <address className={styles.address}>
                {formatAddressLines(address, countryName).map((line) => (
                  <span key={line}>{line}</span>
                ))}
              </address>
              <div className={styles.actions}>
                <button
                  type="button"
                  className={ui.linkButton}
                  onClick={() => setEditing(address.id)}
                  disabled={busy !== null}
                >
                  Edit<span className="visually-hidden"> {address.line1}</span>
                </button>
                {!address.isDefaultShipping ? (
                  <button
                    type="button"
                    className={ui.linkButton}
                    disabled={busy !== null}
                    onClick={() =>
                      void act(
                        address.id,
                        () => api.patch(`/api/me/addresses/${address.id}`, { isDefaultShipping: true }),
                        'Default shipping address changed.',
                      )
                    }
                  >
                    Make default<span className="visually-hidden"> for {address.line1}</span>
                  </button>
                ) : null}
                <button
                  type="button"
                  className={`${ui.linkButton} ${styles.danger}`}
                  onClick={() => setConfirming(address.id)}
                  disabled={busy !== null}
                  aria-expanded={confirming === address.id}
                >
                  Delete<span className="visually-hidden"> {address.line1}</span>
                </button>
              </div>
              {confirming === address.id ? (
                <fieldset className={styles.confirm}>
                  <legend className={styles.tight}>Delete this address?</legend>
                  <button type="button" className={ui.secondary} onClick={() => remove(address)}>
                    Delete
                  </button>
                  <button type="button" className={ui.linkButton} onClick={() => setConfirming(null)}>
                    Keep it
                  </button>
                </fieldset>
              ) : null}
            </li>
          ),
        )}
      </ul>
      {editing === 'new' ? (
        <div className={styles.addressCard}>
          <AddressForm
            onCancel={() => {
              setEditing(null);
              requestAnimationFrame(() => addButton.current?.focus());
            }}
            onSaved={async () => {
              setEditing(null);
              await load();
              setNotice('Address added.');
              requestAnimationFrame(() => addButton.current?.focus());
            }}
          />
        </div>
      ) : (
        <button
          ref={addButton}
          type="button"
          className={`${ui.secondary} ${styles.addButton}`}
          onClick={() => setEditing('new')}
        >
          Add an address
        </button>
      )}
    </div>
  );
}

function AddressForm({
  initial,
  onSaved,
  onCancel,
}: {
  initial?: Address;
  onSaved: () => Promise<void>;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<AddressValues>(initial ? addressValues(initial) : emptyAddress());
  const [isDefault, setIsDefault] = useState(initial?.isDefaultShipping ?? false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkAddress(values) as Record<string, string>;
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => focusFirstInvalid(form.current));
      return;
    }
    setPending(true);
    try {
      const body = { ...addressBody(values), ...(isDefault ? { isDefaultShipping: true } : {}) };
      if (initial) await api.patch(`/api/me/addresses/${initial.id}`, body);
      else await api.post('/api/me/addresses', body);
      await onSaved();
    } catch (caught) {
      const byField = apiFieldErrors(caught, LABELS);
      if (Object.keys(byField).length > 0) {
        setErrors(byField);
        requestAnimationFrame(() => focusFirstInvalid(form.current));
      } else {
        setFormError(errorText(caught));
      }
    } finally {
      setPending(false);
    }
  };

  return (
    <form ref={form} onSubmit={submit} noValidate className={styles.form} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1} className={styles.formTitle}>
        {initial ? 'Edit address' : 'New address'}
      </h2>
      <p className={ui.alert} role="alert">
        {formError}
      </p>
      <AddressFields
        values={values}
        onChange={(field, value) => {
          setValues((current) => ({
            ...current,
            [field]: value,
            ...(field === 'country' && value !== current.country ? { region: '' } : {}),
          }));
        }}
        errors={errors}
        section={null}
        idPrefix={id}
      />
      {!initial?.isDefaultShipping ? (
        <label className={styles.checkbox}>
          <input type="checkbox" checked={isDefault} onChange={(e) => setIsDefault(e.target.checked)} />
          Use as my default shipping address
        </label>
      ) : null}
      <div className={styles.actions}>
        <button type="submit" className={ui.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save address'}
        </button>
        <button type="button" className={ui.secondary} onClick={onCancel} disabled={pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
