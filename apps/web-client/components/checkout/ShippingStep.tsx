'use client';

import type { Dispatch } from 'react';
import { formatMoney } from '@/lib/money';
import type { CartView } from '../cart/cart-store';
import ui from '../cart/ui.module.css';
import styles from './CheckoutPage.module.css';
import type { CheckoutAction } from './checkout-reducer';
import { ShippingMethods } from './ShippingMethods';

/** Step 2: the methods that reach the address; once past it, the one chosen and its price. */
export function ShippingStep({
  cart,
  error,
  dispatch,
  active,
  passed,
  onContinue,
  onChange,
}: {
  cart: CartView;
  /** Why the last choice did not go through. */
  error: string | null;
  dispatch: Dispatch<CheckoutAction>;
  active: boolean;
  /** The shopper is on a later step. */
  passed: boolean;
  onContinue: () => void;
  onChange: () => void;
}) {
  if (active) {
    return (
      <div className={styles.form}>
        {error ? (
          <p className={ui.alert} role="alert">
            {error}
          </p>
        ) : null}
        {cart.problems
          .filter((p) => p.code === 'shipping_unavailable')
          .map((p) => (
            <p key={p.code} className={ui.alert} role="alert">
              {p.message}
            </p>
          ))}
        <ShippingMethods cart={cart} onError={(message) => dispatch({ type: 'shipping-error', message })} />
        <button
          type="button"
          className={`${ui.primary} ${styles.next}`}
          disabled={!cart.shippingMethod}
          onClick={onContinue}
        >
          Continue to payment
        </button>
      </div>
    );
  }
  if (!passed || !cart.shippingMethod) return null;
  return (
    <div className={styles.done}>
      <p className={styles.tight}>
        {cart.shippingMethod.name} ·{' '}
        {cart.shippingTotal === 0 ? 'Free' : formatMoney(cart.shippingTotal, cart.currency)}
      </p>
      <button type="button" className={ui.linkButton} onClick={onChange}>
        Change<span className="visually-hidden"> shipping method</span>
      </button>
    </div>
  );
}
