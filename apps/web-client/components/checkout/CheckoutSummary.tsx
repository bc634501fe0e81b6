'use client';

import Link from 'next/link';
import { useState } from 'react';
import { CartLines } from '../cart/CartLines';
import { CartTotals } from '../cart/CartTotals';
import type { CartView } from '../cart/cart-store';
import { PromoCodeForm } from '../cart/PromoCodeForm';
import styles from './CheckoutPage.module.css';

/** The cart beside the steps (folded away on small screens), where a promotion code is entered. */
export function CheckoutSummary({ cart, total }: { cart: CartView; total: string }) {
  const [open, setOpen] = useState(false);
  return (
    <aside
      className={styles.summary}
      aria-labelledby="checkout-summary-heading"
      data-open={open || undefined}
    >
      <button
        type="button"
        className={styles.summaryToggle}
        aria-expanded={open}
        aria-controls="checkout-summary-body"
        onClick={() => setOpen((was) => !was)}
      >
        <span>{open ? 'Hide order summary' : 'Show order summary'}</span>
        <span className={styles.summaryTotal}>{total}</span>
      </button>
      <h2 id="checkout-summary-heading" className={styles.summaryHeading}>
        Order summary
      </h2>
      <div id="checkout-summary-body" className={styles.summaryBody}>
        <CartLines cart={cart} readOnly compact />
        <PromoCodeForm cart={cart} />
        <CartTotals cart={cart} stage="checkout" />
        <Link href="/cart" className={styles.editCart}>
          Edit cart
        </Link>
      </div>
    </aside>
  );
}
