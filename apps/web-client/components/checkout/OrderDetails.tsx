import { useAssetPath } from '@/components/catalog/AssetOrigin';
import { formatMoney } from '@/lib/money';
import { variantLabel } from '../cart/CartLines';
import { formatAddressLines } from './address';
import { countryName } from './countries';
import styles from './OrderDetails.module.css';
import type { Order } from './types';

export const ORDER_STATUS: Record<Order['status'], string> = {
  pending: 'Awaiting payment',
  paid: 'Confirmed',
  fulfilled: 'Shipped',
  delivered: 'Delivered',
  canceled: 'Canceled',
  refunded: 'Refunded',
};

const EVENTS: Record<string, string> = {
  placed: 'Order placed',
  paid: 'Payment received',
  fulfilled: 'Shipped',
  delivered: 'Delivered',
  canceled: 'Canceled',
  refunded: 'Refunded',
  refund: 'Refund issued',
};

export function formatDate(iso: string, withTime = true): string {
  return new Intl.DateTimeFormat('en-US', {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
  }).format(new Date(iso));
}

export function StatusBadge({ status }: { status: Order['status'] }) {
  return (
    <span className={styles.badge} data-status={status}>
      {ORDER_STATUS[status]}
    </span>
  );
}

function historyLabel(event: Order['history'][number]): string {
  const known = EVENTS[event.type];
  if (known) return known;
  if (event.toStatus) return EVENTS[event.toStatus] ?? ORDER_STATUS[event.toStatus];
  const words = event.type.replaceAll('_', ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** An order as the shopper sees it: lines, totals, address, tracking and what happened when. */
export function OrderDetails({ order }: { order: Order }) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const history = [...order.history].sort((a, b) => a.at.localeCompare(b.at));
  const assetPath = useAssetPath();
  return (
    <div className={styles.grid}>
      <section className={styles.card} aria-labelledby="order-items">
        <h2 id="order-items" className={styles.cardTitle}>
          Items
        </h2>
        <ul className={styles.lines}>
          {order.lines.map((line) => {
            const image = line.imageUrl ? assetPath(line.imageUrl) : null;
            const variant = variantLabel(line.variantTitle);
            return (
              <li key={line.id} className={styles.line}>
                <span className={styles.thumb}>
                  {image ? (
                    // biome-ignore lint/performance/noImgElement: a small thumbnail already sized by the API's renditions
                    <img src={image} alt="" width={64} height={64} loading="lazy" decoding="async" />
                  ) : null}
                  <span className={styles.qtyBadge}>
                    <span className="visually-hidden">Quantity </span>
                    {line.quantity}
                  </span>
                </span>
                <span className={styles.info}>
                  <span className={styles.title}>{line.productTitle}</span>
                  {variant ? <span className={styles.muted}>{variant}</span> : null}
                  <span className={styles.muted}>
                    {line.quantity} × {money(line.unitPrice)}
                  </span>
                </span>
                <span className={styles.amount}>{money(line.subtotal)}</span>
              </li>
            );
          })}
        </ul>
        <dl className={styles.totals}>
          <div>
            <dt>Subtotal</dt>
            <dd>{money(order.subtotal)}</dd>
          </div>
          {order.discountTotal > 0 ? (
            <div className={styles.discount}>
              <dt>Discount{order.promotionCode ? ` (${order.promotionCode})` : ''}</dt>
              <dd>−{money(order.discountTotal)}</dd>
            </div>
          ) : null}
          <div>
            <dt>Shipping{order.shippingMethod ? ` · ${order.shippingMethod.name}` : ''}</dt>
            <dd>{order.shippingTotal === 0 ? 'Free' : money(order.shippingTotal)}</dd>
          </div>
          <div>
            <dt>{order.pricesIncludeTax ? 'Included tax' : 'Tax'}</dt>
            <dd>{money(order.taxTotal)}</dd>
          </div>
          <div className={styles.grand}>
            <dt>Total</dt>
            <dd>{money(order.grandTotal)}</dd>
          </div>
          {order.amountRefunded > 0 ? (
            <div className={styles.refunded}>
              <dt>Refunded</dt>
              <dd>−{money(order.amountRefunded)}</dd>
            </div>
          ) : null}
        </dl>
      </section>

      <div className={styles.side}>
        {order.tracking ? (
          <section className={styles.card} aria-labelledby="order-tracking">
            <h2 id="order-tracking" className={styles.cardTitle}>
              Tracking
            </h2>
            <p className={styles.tight}>
              {order.tracking.carrier ? `${order.tracking.carrier} ` : ''}
              {order.tracking.number ? <span className={styles.code}>{order.tracking.number}</span> : null}
            </p>
            {order.tracking.url ? (
              <a href={order.tracking.url} target="_blank" rel="noopener noreferrer" className={styles.link}>
                Track your package<span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            ) : null}
          </section>
        ) : null}

        <section className={styles.card} aria-labelledby="order-address">
          <h2 id="order-address" className={styles.cardTitle}>
            Shipping address
          </h2>
          <address className={styles.address}>
            {formatAddressLines(order.shippingAddress, countryName).map((line) => (
              <span key={line}>{line}</span>
            ))}
          </address>
          {order.shippingMethod ? <p className={styles.muted}>{order.shippingMethod.name} shipping</p> : null}
        </section>

        <section className={styles.card} aria-labelledby="order-history">
          <h2 id="order-history" className={styles.cardTitle}>
            History
          </h2>
          <ol className={styles.history}>
            {history.map((event) => (
              <li key={`${event.type}-${event.at}`}>
                <span className={styles.dot} aria-hidden="true" />
                <span>{historyLabel(event)}</span>
                <time dateTime={event.at} className={styles.muted}>
                  {formatDate(event.at)}
                </time>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
