'use client';

import { useId, useState } from 'react';
import styles from './AddToCartButton.module.css';
import { preloadCartDrawer } from './CartProvider';
import { addToCart, loadCart, openCartDrawer } from './cart-store';
import { cartErrorMessage } from './messages';
import ui from './ui.module.css';

/** Adds one variant to the cart and opens the drawer; says why it cannot when it cannot. */
export function AddToCartButton({ variantId, available }: { variantId: string; available: boolean }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ variantId: string; message: string } | null>(null);
  const errorId = useId();
  // A message about another variant (the shopper picked a different option since) is stale.
  const message = error?.variantId === variantId ? error.message : null;

  const add = async () => {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await addToCart(variantId, 1);
      openCartDrawer();
    } catch (caught) {
      setError({ variantId, message: cartErrorMessage(caught, true) });
      void loadCart();
    } finally {
      setPending(false);
    }
  };

  return (
    <div className={styles.wrap}>
      <button
        type="button"
        className={`${ui.primary} ${styles.button}`}
        // Not `disabled` while adding: a disabled button drops focus, and the drawer returns it here.
        disabled={!available}
        aria-disabled={pending || undefined}
        aria-busy={pending}
        aria-describedby={message ? errorId : undefined}
        onClick={add}
        onPointerEnter={preloadCartDrawer}
        onFocus={preloadCartDrawer}
        data-variant-id={variantId}
      >
        {pending ? <span className={ui.spinner} aria-hidden="true" /> : null}
        {!available ? 'Sold out' : pending ? 'Adding…' : 'Add to cart'}
      </button>
      <p id={errorId} className={styles.error} role="alert">
        {message}
      </p>
    </div>
  );
}
