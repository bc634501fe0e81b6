import type { ProductSummary } from '@e3d/contracts';
import Link from 'next/link';
import { Picture } from './Picture';
import { Price } from './Price';
import styles from './ProductCard.module.css';

/** Cards are drawn 2 up on phones, 3 on tablets, 4 on desktops (max 1200px wide). */
export const CARD_SIZES =
  '(min-width: 1240px) 285px, (min-width: 1024px) 23vw, (min-width: 640px) 31vw, 46vw';

export function ProductCard({ product, priority = false }: { product: ProductSummary; priority?: boolean }) {
  const onSale =
    product.compareAtPrice != null &&
    product.priceRange != null &&
    product.compareAtPrice.amount > product.priceRange.min.amount;
  return (
    <article className={product.available ? styles.card : `${styles.card} ${styles.soldOut}`}>
      <div className={styles.media}>
        {product.thumbnail ? (
          <Picture
            image={product.thumbnail}
            sizes={CARD_SIZES}
            maxWidth={320}
            priority={priority}
            className={styles.picture}
          />
        ) : (
          <div className={styles.placeholder} aria-hidden="true" />
        )}
        {(!product.available || onSale || product.has3d) && (
          <ul className={styles.badges}>
            {!product.available && <li className={styles.badgeSoldOut}>Sold out</li>}
            {product.available && onSale && <li className={styles.badgeSale}>Sale</li>}
            {product.has3d && (
              <li className={styles.badge3d}>
                <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
                  <path
                    d="M8 1 14 4.5v7L8 15l-6-3.5v-7L8 1Zm0 1.7L3.9 5 8 7.3 12.1 5 8 2.7ZM3.5 6.3v4.4l3.8 2.2V8.5L3.5 6.3Zm5.2 6.6 3.8-2.2V6.3L8.7 8.5v4.4Z"
                    fill="currentColor"
                  />
                </svg>
                <span>
                  3D<span className="visually-hidden"> and AR view</span>
                </span>
              </li>
            )}
          </ul>
        )}
      </div>
      <h3 className={styles.title}>
        <Link href={`/products/${product.handle}`} className={styles.link}>
          {product.title}
        </Link>
      </h3>
      {product.priceRange && (
        <Price
          min={product.priceRange.min}
          max={product.priceRange.max}
          compareAt={product.compareAtPrice}
          className={styles.price}
        />
      )}
    </article>
  );
}

export function ProductGrid({
  products,
  priorityCount = 0,
  label,
}: {
  products: ProductSummary[];
  priorityCount?: number;
  label?: string;
}) {
  return (
    <ul className={styles.grid} aria-label={label}>
      {products.map((p, i) => (
        <li key={p.id}>
          <ProductCard product={p} priority={i < priorityCount} />
        </li>
      ))}
    </ul>
  );
}
