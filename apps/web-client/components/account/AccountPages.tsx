'use client';

import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/client-api';
import { formatMoney } from '@/lib/money';
import ui from '../cart/ui.module.css';
import { formatDate, StatusBadge } from '../checkout/OrderDetails';
import { OrderPage } from '../checkout/OrderPage';
import type { OrderList, OrderSummary } from '../checkout/types';
import { AccountSettings } from './AccountSettings';
import { AccountShell } from './AccountShell';
import { AddressBook } from './AddressBook';
import styles from './account.module.css';
import { errorText } from './forms';

/** /account: sign in or register; signed in, the customer's orders. */
export function AccountHome({ next, mode }: { next?: string; mode?: 'signin' | 'register' }) {
  return (
    <AccountShell title="Your orders" next={next} mode={mode}>
      {() => <OrdersList />}
    </AccountShell>
  );
}

export function AccountOrder({ number }: { number: string }) {
  return (
    <AccountShell title="Order details">
      {() => (
        <>
          <Link href="/account" className={styles.back}>
            ← All orders
          </Link>
          <OrderPage number={number} embedded />
        </>
      )}
    </AccountShell>
  );
}

export function AccountAddresses() {
  return <AccountShell title="Addresses">{() => <AddressBook />}</AccountShell>;
}

export function AccountSettingsPage() {
  return (
    <AccountShell title="Account settings">
      {(customer) => <AccountSettings customer={customer} />}
    </AccountShell>
  );
}

function OrdersList() {
  const [items, setItems] = useState<OrderSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (after: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<OrderList>(
        `/api/me/orders?limit=20${after ? `&cursor=${encodeURIComponent(after)}` : ''}`,
      );
      setItems((current) => (after && current ? [...current, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(errorText(caught, 'Your orders could not be loaded.'));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  if (error && !items) {
    return (
      <div className={ui.alert} role="alert">
        <p className={styles.tight}>{error}</p>
        <button type="button" className={ui.secondary} onClick={() => void load(null)}>
          Try again
        </button>
      </div>
    );
  }
  if (!items) {
    return (
      <div aria-busy="true" className={styles.stack}>
        <div className={ui.skeleton} style={{ height: 72 }} />
        <div className={ui.skeleton} style={{ height: 72 }} />
        <span className="visually-hidden">Loading your orders…</span>
      </div>
    );
  }
  if (items.length === 0) {
    return (
      <div className={styles.emptyBox}>
        <p>You have not placed any orders yet.</p>
        <Link href="/" className={ui.primary}>
          Start shopping
        </Link>
      </div>
    );
  }
  return (
    <div className={styles.stack}>
      <ul className={styles.orders}>
        {items.map((order) => (
          <li key={order.id}>
            <Link href={`/account/orders/${order.number}`} className={styles.order}>
              <span className={styles.orderNumber}>Order #{order.number}</span>
              <span className={styles.orderDate}>
                <time dateTime={order.placedAt}>{formatDate(order.placedAt, false)}</time> · {order.itemCount}{' '}
                {order.itemCount === 1 ? 'item' : 'items'}
              </span>
              <StatusBadge status={order.status} />
              <span className={styles.orderTotal}>{formatMoney(order.grandTotal, order.currency)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {error ? (
        <p className={ui.alert} role="alert">
          {error}
        </p>
      ) : null}
      {cursor ? (
        <button type="button" className={ui.secondary} onClick={() => void load(cursor)} disabled={loading}>
          {loading ? 'Loading…' : 'Show older orders'}
        </button>
      ) : null}
    </div>
  );
}
