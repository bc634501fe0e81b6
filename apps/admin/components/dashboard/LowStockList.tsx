import type { Dashboard } from '@e3d/contracts';
import Link from 'next/link';
import styles from './dashboard.module.css';

type LowStock = NonNullable<Dashboard['lowStock']>[number];

/** Variants about to sell out (or sold out), lowest stock first. */
export function LowStockList({ items }: { items: LowStock[] }) {
  return (
    <section className="card stack" aria-labelledby="low-stock-heading">
      <h2 id="low-stock-heading">Low stock</h2>
      {items.length === 0 ? (
        <p className="muted">No tracked variant is running low.</p>
      ) : (
        <ul className={styles.list}>
          {items.map((item) => (
            <li key={item.variantId} className={styles.listItem}>
              <div>
                <Link href={`/products/${item.productId}`}>{item.productTitle}</Link>
                <div className="muted">
                  {item.variantTitle}
                  {item.sku && <span className="mono"> · {item.sku}</span>}
                </div>
              </div>
              <span className={`badge ${item.stock <= 0 ? 'danger' : 'warning'}`}>
                {item.stock <= 0 ? 'Out of stock' : `${item.stock} left`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
