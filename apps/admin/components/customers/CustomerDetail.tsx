'use client';

import type { AdminCustomer } from '@e3d/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { OrdersTable } from '@/components/orders/OrdersTable';
import { useStaff } from '@/components/session/StaffSession';
import { AddressBlock } from '@/components/ui/AddressBlock';
import facts from '@/components/ui/facts.module.css';
import { NoAccess } from '@/components/ui/NoAccess';
import { PageHeader } from '@/components/ui/PageHeader';
import { RecordLoadState } from '@/components/ui/RecordLoadState';
import { useToasts } from '@/components/ui/Toasts';
import { formatDate, formatDateTime, formatNumber, money } from '@/lib/format';
import { useApiData } from '@/lib/use-api-data';
import { AnonymiseDialog } from './AnonymiseDialog';
import { CustomerStatusBadge } from './CustomerStatusBadge';
import styles from './customers.module.css';

const back = <Link href="/customers">← Customers</Link>;

/** /customers/[id]: the account, its addresses and orders, and (customers:write) anonymising it. */
export function CustomerDetail({ customerId }: { customerId: string }) {
  const { can } = useStaff();
  const { notify } = useToasts();
  const allowed = can('customers:read');
  const customer = useApiData<AdminCustomer>(
    allowed ? `/api/admin/customers/${encodeURIComponent(customerId)}` : null,
    'The customer could not be loaded.',
  );
  const [anonymising, setAnonymising] = useState(false);

  if (!allowed) return <NoAccess title="Customer" what="customers" back={back} />;
  if (!customer.data)
    return <RecordLoadState record={customer} title="Customer" noun="customer" back={back} />;

  const person = customer.data;
  const anonymised = person.status === 'deleted';
  return (
    <>
      <PageHeader
        back={back}
        title={
          <span className="row">
            {anonymised ? 'Anonymised customer' : person.name || person.email}
            <CustomerStatusBadge status={person.status} />
          </span>
        }
        description={`Customer since ${formatDate(person.createdAt)}`}
      />
      <div className="stack">
        {anonymised && (
          <p className="notice warning" role="status">
            This customer was anonymised{person.updatedAt ? ` on ${formatDateTime(person.updatedAt)}` : ''}.
            Their personal data has been removed; their orders are kept for accounting.
          </p>
        )}
        {customer.errorMessage && (
          <p className="notice danger" role="alert">
            {customer.errorMessage}
          </p>
        )}
        <div className={styles.layout}>
          <section className="card stack" aria-labelledby="customer-profile-heading">
            <h2 id="customer-profile-heading">Profile</h2>
            <dl className={facts.facts}>
              <dt>Name</dt>
              <dd>{person.name || <span className="muted">—</span>}</dd>
              <dt>Email</dt>
              <dd>
                {anonymised ? (
                  <span className="mono">{person.email}</span>
                ) : (
                  <a href={`mailto:${person.email}`}>{person.email}</a>
                )}
              </dd>
              <dt>Status</dt>
              <dd>
                <CustomerStatusBadge status={person.status} />
              </dd>
              <dt>Marketing emails</dt>
              <dd>{person.marketingOptIn ? 'Subscribed' : 'Not subscribed'}</dd>
              <dt>Orders</dt>
              <dd>{formatNumber(person.ordersCount)}</dd>
              <dt>Total spent</dt>
              <dd>{money(person.totalSpent)}</dd>
              <dt>Joined</dt>
              <dd>{formatDateTime(person.createdAt)}</dd>
              <dt>Last updated</dt>
              <dd>{formatDateTime(person.updatedAt)}</dd>
            </dl>
          </section>

          <section className="card stack" aria-labelledby="customer-addresses-heading">
            <h2 id="customer-addresses-heading">Addresses</h2>
            {person.addresses.length === 0 ? (
              <p className="muted">{anonymised ? 'Addresses were deleted.' : 'No saved addresses.'}</p>
            ) : (
              <ul className={styles.addresses}>
                {person.addresses.map((address) => (
                  <li key={address.id} className={styles.address}>
                    {(address.isDefaultShipping || address.isDefaultBilling) && (
                      <div className={styles.badges}>
                        {address.isDefaultShipping && <span className="badge info">Default shipping</span>}
                        {address.isDefaultBilling && <span className="badge info">Default billing</span>}
                      </div>
                    )}
                    <AddressBlock address={address} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>

        <section className="stack" aria-labelledby="customer-orders-heading">
          <h2 id="customer-orders-heading">Orders</h2>
          {person.orders.length === 0 ? (
            <p className="card muted">No orders.</p>
          ) : (
            <>
              <OrdersTable orders={person.orders} caption="Orders of this customer" showCustomer={false} />
              {person.ordersCount > person.orders.length && can('orders:read') && (
                <p>
                  <Link href={`/orders?customerId=${person.id}`}>
                    All {formatNumber(person.ordersCount)} orders of this customer
                  </Link>
                </p>
              )}
            </>
          )}
        </section>

        {can('customers:write') && !anonymised && (
          <section className={`card stack ${styles.danger}`} aria-labelledby="customer-danger-heading">
            <h2 id="customer-danger-heading">Danger zone</h2>
            <p>
              Anonymising removes this customer’s personal data for good (for example after an erasure
              request). Their orders stay, for accounting.
            </p>
            <div>
              <button type="button" className="button danger" onClick={() => setAnonymising(true)}>
                Anonymise customer
              </button>
            </div>
          </section>
        )}
      </div>
      {anonymising && (
        <AnonymiseDialog
          customer={person}
          onClose={() => setAnonymising(false)}
          onStale={customer.reload}
          onAnonymised={(updated) => {
            setAnonymising(false);
            customer.setData(updated);
            notify('Customer anonymised. Their personal data has been removed.');
          }}
        />
      )}
    </>
  );
}
