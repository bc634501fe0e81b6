'use client';

import Link from 'next/link';
import { useEffect, useId } from 'react';
import { CartLines } from './CartLines';
import styles from './CartPage.module.css';
import { CartTotals } from './CartTotals';
import { loadCart, useCart } from './cart-store';
import { PromoCodeForm } from './PromoCodeForm';
import ui from './ui.module.css';

/** /cart: every line editable, the promotion code, and the totals as the API priced them. */
export function CartPage() {
  const { cart, status, busy } = useCart();
  const problemsId = useId();

  useEffect(() => {
    void loadCart();
  }, []);

  if (!cart) {
    return (
      <div className={styles.page}>
        <h1 className={styles.heading}>Your cart</h1>
        {status === 'error' ? (
          <div className={ui.alert} role="alert">
            <p>We could not load your cart.</p>
            <button type="button" className={ui.secondary} onClick={() => void loadCart()}>
              Try again
            </button>
          </div>
        ) : (
          <div className={styles.loading} aria-busy="true">
            <div className={ui.skeleton} style={{ height: 96 }} />
            <div className={ui.skeleton} style={{ height: 96 }} />
            <span className="visually-hidden">Loading your cart…</span>
          </div>
        )}
      </div>
    );
  }

  if (cart.lines.length === 0) {
    return (
      <div className={styles.page}>
        <h1 className={styles.heading}>Your cart</h1>
        <div className={styles.empty}>
          <p>Your cart is empty.</p>
          <Link href="/" className={ui.primary}>
            Continue shopping
          </Link>
        </div>
      </div>
    );
  }

  const blocking = cart.problems.filter((p) => p.code === 'unavailable' || p.code === 'insufficient_stock');

  return (
    <div className={styles.page}>
      <h1 className={styles.heading}>
        Your cart{' '}
        <span className={styles.count}>
          ({cart.itemCount} {cart.itemCount === 1 ? 'item' : 'items'})
        </span>
      </h1>
      <div className={styles.layout}>
        <section aria-label="Items" className={styles.items} aria-busy={busy > 0}>
          <CartLines cart={cart} />
          <Link href="/" className={styles.continue}>
            ← Continue shopping
          </Link>
        </section>
        <aside className={styles.summary} aria-labelledby={`${problemsId}-summary`}>
          <h2 id={`${problemsId}-summary`} className={styles.summaryHeading}>
            Order summary
          </h2>
          <PromoCodeForm cart={cart} />
          <CartTotals cart={cart} />
          {blocking.length > 0 ? (
            <div id={problemsId} className={ui.alert} role="status">
              {blocking.map((p) => (
                <p key={`${p.code}-${p.variantId ?? ''}`} className={styles.problem}>
                  {p.message}
                </p>
              ))}
              <p className={styles.problem}>Change the quantity or remove the item to check out.</p>
            </div>
          ) : null}
          {blocking.length > 0 ? (
            <button
              type="button"
              className={`${ui.primary} ${ui.block}`}
              disabled
              aria-describedby={problemsId}
            >
              Checkout
            </button>
          ) : (
            <Link href="/checkout" className={`${ui.primary} ${ui.block}`}>
              Checkout
            </Link>
          )}
        </aside>
      </div>
    </div>
  );
}
