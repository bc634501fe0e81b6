'use client';

import Link from 'next/link';
import { type MouseEvent, useEffect, useId, useRef } from 'react';
import { formatMoney } from '@/lib/money';
import styles from './CartDrawer.module.css';
import { CartLines } from './CartLines';
import { closeCartDrawer, useCart } from './cart-store';
import ui from './ui.module.css';

/**
 * The cart as a side panel: a modal <dialog> (the page behind is inert, so focus stays
 * inside; Esc closes it), and focus goes back to what opened it.
 */
export default function CartDrawer() {
  const { cart, status, drawerOpen, lastAdded, busy } = useCart();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const addedId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (drawerOpen && !element.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
      document.documentElement.style.overflow = 'hidden';
    } else if (!drawerOpen && element.open) {
      element.close();
    }
  }, [drawerOpen]);

  const onClose = () => {
    document.documentElement.style.overflow = '';
    closeCartDrawer();
    const back = opener.current;
    opener.current = null;
    if (back?.isConnected && back !== document.body) back.focus();
    else document.querySelector<HTMLElement>('[data-testid="cart-link"]')?.focus();
  };

  // A click on the backdrop lands on the <dialog> itself (its content fills it).
  const onBackdrop = (event: MouseEvent<HTMLDialogElement>) => {
    if (event.target === event.currentTarget) dialog.current?.close();
  };
  const navigate = () => dialog.current?.close();

  const added = lastAdded ? cart?.lines.find((l) => l.variantId === lastAdded) : undefined;
  const count = cart?.itemCount ?? 0;
  const blocking =
    cart?.problems.filter((p) => p.code === 'unavailable' || p.code === 'insufficient_stock') ?? [];

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a pointer shortcut; Esc and the close button are the keyboard way
    <dialog
      ref={dialog}
      className={styles.drawer}
      aria-labelledby={titleId}
      aria-describedby={added ? addedId : undefined}
      onClose={onClose}
      onClick={onBackdrop}
      data-testid="cart-drawer"
    >
      <div className={styles.panel}>
        <header className={styles.header}>
          <h2 id={titleId} className={styles.title}>
            Your cart{count > 0 ? <span className={styles.count}> ({count})</span> : null}
          </h2>
          <button
            type="button"
            className={styles.close}
            onClick={() => dialog.current?.close()}
            aria-label="Close cart"
          >
            <svg
              aria-hidden="true"
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              strokeLinecap="round"
            >
              <path d="M6 6l12 12M18 6 6 18" />
            </svg>
          </button>
        </header>

        {added ? (
          <p id={addedId} className={styles.added}>
            <svg
              aria-hidden="true"
              width="18"
              height="18"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2.5"
              strokeLinecap="round"
              strokeLinejoin="round"
            >
              <path d="m5 12 5 5L20 7" />
            </svg>
            Added {added.productTitle} to your cart
          </p>
        ) : null}

        <div className={styles.body} aria-busy={busy > 0 || status === 'loading'}>
          {!cart ? (
            status === 'error' ? (
              <p className={ui.alert} role="alert">
                We could not load your cart. Please try again.
              </p>
            ) : (
              <div className={styles.loading}>
                <div className={ui.skeleton} style={{ height: 80 }} />
                <div className={ui.skeleton} style={{ height: 80 }} />
                <span className="visually-hidden">Loading your cart…</span>
              </div>
            )
          ) : cart.lines.length === 0 ? (
            <div className={styles.empty}>
              <p>Your cart is empty.</p>
              <Link href="/" className={ui.secondary} onClick={navigate}>
                Continue shopping
              </Link>
            </div>
          ) : (
            <>
              {blocking.length > 0 ? (
                <div className={ui.alert}>
                  {blocking.map((p) => (
                    <p key={`${p.code}-${p.variantId ?? ''}`} className={styles.problem}>
                      {p.message}
                    </p>
                  ))}
                </div>
              ) : null}
              <CartLines cart={cart} compact onNavigate={navigate} />
            </>
          )}
        </div>

        {cart && cart.lines.length > 0 ? (
          <footer className={styles.footer}>
            <div className={styles.subtotal}>
              <span>Subtotal</span>
              <span>{formatMoney(cart.subtotal, cart.currency)}</span>
            </div>
            {cart.discountTotal > 0 ? (
              <div className={`${styles.subtotal} ${styles.discount}`}>
                <span>Discount{cart.promotion ? ` (${cart.promotion.code})` : ''}</span>
                <span>−{formatMoney(cart.discountTotal, cart.currency)}</span>
              </div>
            ) : null}
            <p className={styles.note}>Shipping and taxes are calculated at checkout.</p>
            <Link href="/checkout" className={`${ui.primary} ${ui.block}`} onClick={navigate}>
              Checkout
            </Link>
            <Link href="/cart" className={`${ui.secondary} ${ui.block}`} onClick={navigate}>
              View cart
            </Link>
          </footer>
        ) : null}
      </div>
    </dialog>
  );
}
