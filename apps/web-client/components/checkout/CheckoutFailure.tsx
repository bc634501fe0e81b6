'use client';

import Link from 'next/link';
import { removePromotion } from '../cart/cart-store';
import ui from '../cart/ui.module.css';
import styles from './CheckoutPage.module.css';
import type { Failure } from './checkout-reducer';

/** Why the last payment attempt did not go through, and the way on (back to the cart, remove the code…). */
export function CheckoutFailure({ failure, onDismiss }: { failure: Failure; onDismiss: () => void }) {
  return (
    <div className={ui.alert} role="alert" data-testid="checkout-error">
      <p className={styles.tight}>
        <strong>{failure.title}.</strong>
      </p>
      <div className={styles.failureText}>
        {failure.items ? (
          <ul className={styles.items}>
            {failure.items.map((item) => (
              <li key={item.variantId}>
                <strong>{item.product}</strong>
                {item.detail}
              </li>
            ))}
            <li>{failure.message}</li>
          </ul>
        ) : (
          failure.message
        )}
      </div>
      {failure.action === 'cart' ? (
        <Link href="/cart" className={ui.secondary}>
          Back to your cart
        </Link>
      ) : failure.action === 'home' ? (
        <Link href="/" className={ui.secondary}>
          Continue shopping
        </Link>
      ) : failure.action === 'remove-promotion' ? (
        <button
          type="button"
          className={ui.secondary}
          onClick={() => void removePromotion().then(onDismiss, () => undefined)}
        >
          Remove the code
        </button>
      ) : null}
    </div>
  );
}
