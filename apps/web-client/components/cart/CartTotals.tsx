import { formatMoney } from '@/lib/money';
import styles from './CartTotals.module.css';
import type { CartView } from './cart-store';

/** Subtotal, discount, shipping, tax and total: every amount as the API priced it. */
export function CartTotals({ cart, stage = 'cart' }: { cart: CartView; stage?: 'cart' | 'checkout' }) {
  const money = (amount: number) => formatMoney(amount, cart.currency);
  const later = stage === 'cart' ? 'Calculated at checkout' : 'Enter your address';
  const promotion = cart.promotion?.status === 'applied' ? cart.promotion : null;
  return (
    <div className={styles.wrap}>
      <dl className={styles.totals}>
        <div className={styles.row}>
          <dt>Subtotal</dt>
          <dd>{money(cart.subtotal)}</dd>
        </div>
        {cart.discountTotal > 0 ? (
          <div className={`${styles.row} ${styles.discount}`}>
            <dt>Discount{promotion ? <span className={styles.code}>{promotion.code}</span> : null}</dt>
            <dd>−{money(cart.discountTotal)}</dd>
          </div>
        ) : null}
        <div className={styles.row}>
          <dt>
            Shipping
            {cart.shippingMethod ? <span className={styles.note}>{cart.shippingMethod.name}</span> : null}
          </dt>
          <dd className={cart.shippingMethod ? undefined : styles.pending}>
            {cart.shippingMethod ? (cart.shippingTotal === 0 ? 'Free' : money(cart.shippingTotal)) : later}
          </dd>
        </div>
        {cart.pricesIncludeTax ? null : (
          <div className={styles.row}>
            <dt>Tax</dt>
            <dd className={cart.shippingAddress ? undefined : styles.pending}>
              {cart.shippingAddress ? money(cart.taxTotal) : later}
            </dd>
          </div>
        )}
        <div className={`${styles.row} ${styles.grand}`}>
          <dt>Total</dt>
          <dd>
            <span className={styles.currency}>{cart.currency}</span> {money(cart.grandTotal)}
          </dd>
        </div>
      </dl>
      {cart.pricesIncludeTax && cart.taxTotal > 0 ? (
        <p className={styles.included}>Including {money(cart.taxTotal)} in taxes</p>
      ) : null}
    </div>
  );
}
