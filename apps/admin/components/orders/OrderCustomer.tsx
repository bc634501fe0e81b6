import Link from 'next/link';
import { AddressBlock } from '@/components/ui/AddressBlock';
import styles from '@/components/ui/facts.module.css';
import type { AdminOrder } from './types';

/** Who ordered and where it goes (the addresses are the order's copies, not the address book). */
export function OrderCustomer({ order, customerLink }: { order: AdminOrder; customerLink: boolean }) {
  return (
    <section className="card stack" aria-labelledby="order-customer-heading">
      <h2 id="order-customer-heading">Customer</h2>
      <dl className={styles.facts}>
        <dt>Email</dt>
        <dd>
          <a href={`mailto:${order.email}`}>{order.email}</a>
        </dd>
        <dt>Account</dt>
        <dd>
          {order.customerId ? (
            customerLink ? (
              <Link href={`/customers/${order.customerId}`}>View customer</Link>
            ) : (
              'Registered customer'
            )
          ) : (
            'Guest checkout'
          )}
        </dd>
      </dl>
      <div>
        <h3>Shipping address</h3>
        <AddressBlock address={order.shippingAddress} />
      </div>
      {order.shippingMethod && (
        <p className="muted">
          Shipping method: <strong>{order.shippingMethod.name}</strong>
        </p>
      )}
    </section>
  );
}
