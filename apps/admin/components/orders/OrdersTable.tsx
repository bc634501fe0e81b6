'use client';

import Link from 'next/link';
import { useStaff } from '@/components/session/StaffSession';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatDateTime, formatMoney } from '@/lib/format';
import { fulfilmentOf } from './order-rules';
import styles from './orders.module.css';
import type { OrderSummary } from './types';

/** Orders as rows (the order list, a customer's orders): the number opens the order. */
export function OrdersTable({
  orders,
  caption,
  showCustomer = true,
}: {
  orders: OrderSummary[];
  caption: string;
  showCustomer?: boolean;
}) {
  const { can } = useStaff();
  const customerLinks = can('customers:read');
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Date</th>
            {showCustomer && <th scope="col">Customer</th>}
            <th scope="col">Status</th>
            <th scope="col">Payment</th>
            <th scope="col">Fulfilment</th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => {
            const fulfilment = fulfilmentOf(order.status);
            return (
              <tr key={order.id}>
                <td>
                  <Link href={`/orders/${order.id}`} className={styles.orderLink}>
                    #{order.number}
                  </Link>
                </td>
                <td>{formatDateTime(order.placedAt)}</td>
                {showCustomer && (
                  <td className={styles.customerCell}>
                    {order.customerId && customerLinks ? (
                      <Link href={`/customers/${order.customerId}`}>{order.email}</Link>
                    ) : (
                      order.email
                    )}
                    {!order.customerId && <span className="muted"> (guest)</span>}
                  </td>
                )}
                <td>
                  <StatusBadge status={order.status} />
                </td>
                <td>
                  <StatusBadge status={order.paymentStatus} />
                </td>
                <td>
                  <span className={`badge${fulfilment.tone ? ` ${fulfilment.tone}` : ''}`}>
                    {fulfilment.label}
                  </span>
                </td>
                <td className="num">
                  {formatMoney(order.grandTotal, order.currency)}
                  {order.amountRefunded > 0 && (
                    <div className="muted">−{formatMoney(order.amountRefunded, order.currency)} refunded</div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
