import { formatMoney } from '@/lib/format';
import styles from './orders.module.css';
import type { AdminOrder } from './types';

/** The order's sums, in the order's own currency. */
export function OrderTotals({ order }: { order: AdminOrder }) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const net = order.grandTotal - order.amountRefunded;
  return (
    <section className="card stack" aria-labelledby="order-totals-heading">
      <h2 id="order-totals-heading">Totals</h2>
      <dl className={styles.totals}>
        <dt>Subtotal</dt>
        <dd>{money(order.subtotal)}</dd>
        <dt>Discount{order.promotionCode && <span className="mono"> ({order.promotionCode})</span>}</dt>
        <dd>{order.discountTotal ? `−${money(order.discountTotal)}` : money(0)}</dd>
        <dt>Shipping{order.shippingMethod && ` (${order.shippingMethod.name})`}</dt>
        <dd>{money(order.shippingTotal)}</dd>
        <dt>Tax{order.pricesIncludeTax && ' (included in prices)'}</dt>
        <dd>{money(order.taxTotal)}</dd>
        <dt className={styles.grand}>Total</dt>
        <dd className={styles.grand}>{money(order.grandTotal)}</dd>
        {order.amountRefunded > 0 && (
          <>
            <dt>Refunded</dt>
            <dd>−{money(order.amountRefunded)}</dd>
            <dt className={styles.grand}>Net</dt>
            <dd className={styles.grand}>{money(net)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
