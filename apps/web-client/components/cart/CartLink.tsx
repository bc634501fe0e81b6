'use client';

import type { MouseEvent } from 'react';
import styles from './CartLink.module.css';
import { preloadCartDrawer } from './CartProvider';
import { openCartDrawer, useCart } from './cart-store';

/** The header's cart button with the item count; opens the cart drawer (a link to /cart without script). */
export function CartLink() {
  const { cart } = useCart();
  const count = cart?.itemCount ?? 0;
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    openCartDrawer();
  };
  return (
    <a
      href="/cart"
      className={styles.link}
      onClick={open}
      onPointerEnter={preloadCartDrawer}
      onFocus={preloadCartDrawer}
      aria-haspopup="dialog"
      aria-label={count > 0 ? `Cart, ${count} ${count === 1 ? 'item' : 'items'}` : 'Cart, empty'}
      data-testid="cart-link"
    >
      <svg
        aria-hidden="true"
        width="22"
        height="22"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      >
        <path d="M6 7h12l-1 13H7L6 7Z" />
        <path d="M9 7a3 3 0 0 1 6 0" />
      </svg>
      <span className={styles.label}>Cart</span>{' '}
      {count > 0 ? (
        <span className={styles.count} aria-hidden="true">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </a>
  );
}
