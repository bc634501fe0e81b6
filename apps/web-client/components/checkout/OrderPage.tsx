'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { api, isApiError } from '@/lib/client-api';
import ui from '../cart/ui.module.css';
import { wasJustPlaced } from './just-placed';
import { formatDate, OrderDetails, StatusBadge } from './OrderDetails';
import styles from './OrderPage.module.css';
import type { Order } from './types';

/** How long a payment may stay unsettled before we stop checking (the bank may still be working). */
const POLLS = 20;

/**
 * One order: the guest's signed link from checkout and the emails (`?token=`), or the signed-in
 * owner's (by `number`, under /account).
 */
export function OrderPage({
  orderId,
  token,
  number,
  embedded = false,
}: {
  orderId?: string;
  token?: string;
  number?: string;
  /** Inside the account area, which has the page's h1. */
  embedded?: boolean;
}) {
  const Heading = embedded ? 'h2' : 'h1';
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [thanks, setThanks] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const path = number
    ? `/api/me/orders/${encodeURIComponent(number)}`
    : `/api/orders/${encodeURIComponent(orderId ?? '')}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  useEffect(() => {
    let live = true;
    let polls = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const fresh = await api.get<Order>(path);
        if (!live) return;
        setOrder(fresh);
        // A payment the bank is still settling: look again shortly.
        if (fresh.status === 'pending' && fresh.paymentStatus === 'pending' && polls++ < POLLS) {
          timer = setTimeout(load, 3000);
        }
      } catch (caught) {
        if (!live) return;
        const status = isApiError(caught) ? caught.status : 0;
        setError({
          status,
          message:
            status === 404
              ? number
                ? `You have no order #${number}.`
                : 'We could not find this order. The link may be incomplete: open it again from your confirmation email.'
              : status === 401
                ? 'Sign in to see this order.'
                : isApiError(caught)
                  ? caught.detail
                  : 'The order could not be loaded.',
        });
      }
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [path, number]);

  useEffect(() => {
    if (!order) return;
    if (wasJustPlaced(order.id)) {
      setThanks(true);
      heading.current?.focus();
    }
  }, [order]);

  if (error) {
    return (
      <div className={embedded ? undefined : styles.page}>
        {embedded ? null : <h1 className={styles.heading}>Order</h1>}
        <div className={ui.alert} role="alert">
          <p className={styles.tight}>{error.message}</p>
        </div>
        {error.status === 401 ? (
          <Link
            href={`/account?next=${encodeURIComponent(`/account/orders/${number ?? ''}`)}`}
            className={ui.primary}
          >
            Sign in
          </Link>
        ) : (
          <Link href="/" className={ui.secondary}>
            Continue shopping
          </Link>
        )}
      </div>
    );
  }

  if (!order) {
    return (
      <div className={embedded ? undefined : styles.page} aria-busy="true">
        <div className={ui.skeleton} style={{ height: 40, width: 280 }} />
        <div className={ui.skeleton} style={{ height: 320, marginTop: 24 }} />
        <span className="visually-hidden">Loading your order…</span>
      </div>
    );
  }

  const paidOrLater = order.status !== 'pending' && order.status !== 'canceled';

  return (
    <div className={embedded ? styles.embedded : styles.page}>
      {thanks && paidOrLater ? (
        <div className={styles.thanks}>
          <svg
            aria-hidden="true"
            width="40"
            height="40"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          >
            <circle cx="12" cy="12" r="10" />
            <path d="m7.5 12.5 3 3 6-6.5" />
          </svg>
          <div>
            <p className={styles.thanksTitle}>Thank you for your order!</p>
            <p className={styles.tight}>
              We sent a confirmation to <strong>{order.email}</strong>, with a link back to this page.
            </p>
          </div>
        </div>
      ) : null}
      <header className={styles.header}>
        <Heading className={styles.heading} ref={heading} tabIndex={-1}>
          Order #{order.number}
        </Heading>
        <StatusBadge status={order.status} />
      </header>
      <p className={styles.meta}>
        Placed {formatDate(order.placedAt)}
        {order.paymentStatus === 'partially_refunded' ? ' · Partly refunded' : ''}
      </p>
      {order.status === 'pending' ? (
        <p className={ui.alert} role="status">
          {order.paymentStatus === 'requires_action'
            ? 'Your bank has not confirmed this payment yet. The order is held for a few minutes; if it is not confirmed, nothing is charged.'
            : 'We are waiting for your payment to be confirmed. This page updates by itself.'}
        </p>
      ) : null}
      {order.status === 'canceled' ? (
        <p className={ui.alert}>
          This order was canceled{order.canceledAt ? ` on ${formatDate(order.canceledAt, false)}` : ''}. If
          anything was charged, it has been returned.
        </p>
      ) : null}
      <OrderDetails order={order} />
      {embedded ? null : (
        <p className={styles.continue}>
          <Link href="/" className={ui.secondary}>
            Continue shopping
          </Link>
        </p>
      )}
    </div>
  );
}
