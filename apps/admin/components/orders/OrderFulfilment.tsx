import facts from '@/components/ui/facts.module.css';
import { formatDateTime } from '@/lib/format';
import { fulfilmentOf } from './order-rules';
import styles from './orders.module.css';
import type { AdminOrder } from './types';

/** The shipment: when it left, with which carrier and tracking number, and when it arrived. */
export function OrderFulfilment({ order }: { order: AdminOrder }) {
  const state = fulfilmentOf(order.status, order.fulfilledAt);
  const tracking = order.tracking;
  return (
    <section className="card stack" aria-labelledby="order-fulfilment-heading">
      <h2 id="order-fulfilment-heading" className={styles.sectionTitle}>
        Fulfilment
        <span className={`badge${state.tone ? ` ${state.tone}` : ''}`}>{state.label}</span>
      </h2>
      {order.fulfilledAt ? (
        <dl className={facts.facts}>
          <dt>Shipped</dt>
          <dd>{formatDateTime(order.fulfilledAt)}</dd>
          <dt>Carrier</dt>
          <dd>{tracking?.carrier ?? '—'}</dd>
          <dt>Tracking number</dt>
          <dd className="mono">{tracking?.number ?? '—'}</dd>
          {tracking?.url && (
            <>
              <dt>Tracking link</dt>
              <dd>
                <a href={tracking.url} target="_blank" rel="noopener noreferrer">
                  Track parcel<span className="visually-hidden"> (opens in a new tab)</span>
                </a>
              </dd>
            </>
          )}
          {order.deliveredAt && (
            <>
              <dt>Delivered</dt>
              <dd>{formatDateTime(order.deliveredAt)}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="muted">
          {order.status === 'canceled'
            ? 'The order was canceled before it shipped.'
            : order.status === 'pending'
              ? 'The order can ship once it is paid.'
              : 'Not shipped yet.'}
        </p>
      )}
    </section>
  );
}
