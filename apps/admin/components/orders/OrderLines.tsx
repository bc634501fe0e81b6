import Link from 'next/link';
import { formatMoney } from '@/lib/format';
import styles from './orders.module.css';
import type { AdminOrder } from './types';

/** What was bought: each line as it was priced at checkout (titles and prices are copies). */
export function OrderLines({ order, productLinks }: { order: AdminOrder; productLinks: boolean }) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  return (
    <section className="card stack" aria-labelledby="order-lines-heading">
      <h2 id="order-lines-heading">Items</h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Discount
              </th>
              <th scope="col" className="num">
                Tax
              </th>
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {order.lines.map((line) => (
              <tr key={line.id}>
                <td>
                  <div className={styles.lineItem}>
                    {line.imageUrl ? (
                      // biome-ignore lint/performance/noImgElement: API-served thumbnails, no image optimizer in the admin
                      <img
                        src={line.imageUrl}
                        alt=""
                        className={styles.thumb}
                        width={48}
                        height={48}
                        loading="lazy"
                      />
                    ) : (
                      <span className={styles.thumb} aria-hidden="true" />
                    )}
                    <div>
                      {line.productId && productLinks ? (
                        <Link href={`/products/${line.productId}`}>{line.productTitle}</Link>
                      ) : (
                        <strong>{line.productTitle}</strong>
                      )}
                      {line.variantTitle && <div>{line.variantTitle}</div>}
                      <div className="muted mono">SKU {line.sku}</div>
                    </div>
                  </div>
                </td>
                <td className="num">{money(line.unitPrice)}</td>
                <td className="num">{line.quantity}</td>
                <td className="num">{line.discount ? `−${money(line.discount)}` : '—'}</td>
                <td className="num">
                  {money(line.tax)}
                  <div className="muted">{formatRate(line.taxRatePpm)}</div>
                </td>
                <td className="num">{money(line.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Parts per million → "19 %" / "7.7 %". */
const formatRate = (ppm: number) =>
  `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(ppm / 10_000)} %`;
