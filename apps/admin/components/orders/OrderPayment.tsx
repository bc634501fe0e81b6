import styles from '@/components/ui/facts.module.css';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatDateTime, formatMoney, humanize } from '@/lib/format';
import type { AdminOrder } from './types';

const PROVIDERS: Record<string, string> = { stripe: 'Stripe', test: 'Test payments' };

/** The payment and its money: authorized, captured, refunded, and every refund attempt. */
export function OrderPayment({ order }: { order: AdminOrder }) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const authorized = order.paymentStatus === 'authorized' ? order.grandTotal : 0;
  return (
    <section className="card stack" aria-labelledby="order-payment-heading">
      <h2 id="order-payment-heading">Payment</h2>
      <dl className={styles.facts}>
        <dt>Provider</dt>
        <dd>{PROVIDERS[order.paymentProvider] ?? humanize(order.paymentProvider)}</dd>
        {order.paymentId && (
          <>
            <dt>Payment id</dt>
            <dd className="mono">{order.paymentId}</dd>
          </>
        )}
        <dt>Status</dt>
        <dd>
          <StatusBadge status={order.paymentStatus} />
        </dd>
        {authorized > 0 && (
          <>
            <dt>Authorized</dt>
            <dd>{money(authorized)} (not captured yet)</dd>
          </>
        )}
        <dt>Captured</dt>
        <dd>{money(order.amountCaptured)}</dd>
        <dt>Refunded</dt>
        <dd>{money(order.amountRefunded)}</dd>
        {order.paidAt && (
          <>
            <dt>Paid</dt>
            <dd>{formatDateTime(order.paidAt)}</dd>
          </>
        )}
      </dl>
      {order.refunds.length > 0 && (
        <div>
          <h3>Refunds</h3>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {order.refunds.map((refund) => (
                  <tr key={refund.id}>
                    <td>{formatDateTime(refund.createdAt)}</td>
                    <td className="num">{money(refund.amount)}</td>
                    <td>
                      <StatusBadge status={refund.status} />
                    </td>
                    <td>{refund.reason ?? <span className="muted">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
