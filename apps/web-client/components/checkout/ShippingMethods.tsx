'use client';

import { useEffect, useId, useState } from 'react';
import { api, isApiError } from '@/lib/client-api';
import { formatMoney } from '@/lib/money';
import { type CartView, updateCartDetails } from '../cart/cart-store';
import ui from '../cart/ui.module.css';
import { countryName } from './countries';
import styles from './ShippingMethods.module.css';
import type { ShippingOption } from './types';

function eta(option: ShippingOption): string | null {
  const { minDays: min, maxDays: max } = option;
  if (min === null && max === null) return null;
  if (min !== null && max !== null && min !== max) return `${min}–${max} business days`;
  const days = max ?? min;
  return `${days} business ${days === 1 ? 'day' : 'days'}`;
}

/**
 * The methods that reach the cart's address, priced for this cart (GET /api/cart/shipping-options);
 * choosing one updates the cart, and with it shipping, tax and the total.
 */
export function ShippingMethods({
  cart,
  onError,
}: {
  cart: CartView;
  onError: (message: string | null) => void;
}) {
  const country = cart.shippingAddress?.country ?? null;
  const [options, setOptions] = useState<ShippingOption[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [choosing, setChoosing] = useState<string | null>(null);
  const legendId = useId();
  const selected = cart.shippingMethod?.id ?? null;

  // Prices change with the cart (weight brackets, free over a threshold).
  const key = `${country}|${cart.subtotal}|${cart.itemCount}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names everything the options depend on
  useEffect(() => {
    if (!country) return;
    let live = true;
    setLoadError(null);
    api
      .get<{ items: ShippingOption[] }>(`/api/cart/shipping-options?country=${encodeURIComponent(country)}`)
      .then((result) => {
        if (live) setOptions(result.items);
      })
      .catch((error: unknown) => {
        if (live) setLoadError(isApiError(error) ? error.detail : 'Shipping options did not load.');
      });
    return () => {
      live = false;
    };
  }, [key]);

  const choose = async (id: string) => {
    if (id === selected && !cart.problems.some((p) => p.code === 'shipping_unavailable')) return;
    setChoosing(id);
    onError(null);
    try {
      await updateCartDetails({ shippingMethodId: id });
    } catch (error) {
      onError(isApiError(error) ? error.detail : 'That shipping method could not be chosen.');
    } finally {
      setChoosing(null);
    }
  };

  // Nothing chosen yet (or the choice no longer reaches the address): take the first one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the options or the choice change
  useEffect(() => {
    if (!options || options.length === 0 || choosing) return;
    if (!selected || !options.some((o) => o.id === selected)) void choose(options[0]?.id ?? '');
  }, [options, selected]);

  if (!country) return null;
  if (loadError) {
    return (
      <p className={ui.alert} role="alert">
        {loadError}
      </p>
    );
  }
  if (!options) {
    return (
      <div className={styles.loading} aria-busy="true">
        <div className={ui.skeleton} style={{ height: 64 }} />
        <div className={ui.skeleton} style={{ height: 64 }} />
        <span className="visually-hidden">Loading shipping options…</span>
      </div>
    );
  }
  if (options.length === 0) {
    return (
      <p className={ui.alert} role="alert">
        Sorry, we do not ship to {countryName(country)} yet.
      </p>
    );
  }

  return (
    <fieldset className={styles.options} aria-busy={choosing !== null}>
      <legend id={legendId} className="visually-hidden">
        Shipping method
      </legend>
      {options.map((option) => {
        const when = eta(option);
        return (
          <label
            key={option.id}
            className={styles.option}
            data-selected={option.id === selected || undefined}
          >
            <input
              type="radio"
              name="shippingMethod"
              value={option.id}
              checked={option.id === selected}
              disabled={choosing !== null}
              onChange={() => void choose(option.id)}
            />
            <span className={styles.text}>
              <span className={styles.name}>{option.name}</span>
              {when ? <span className={styles.eta}>{when}</span> : null}
              {option.description ? <span className={styles.description}>{option.description}</span> : null}
            </span>
            <span className={styles.price}>
              {choosing === option.id ? (
                <span className={ui.spinner} aria-hidden="true" />
              ) : option.free || option.amount === 0 ? (
                'Free'
              ) : (
                formatMoney(option.amount, option.currency)
              )}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
