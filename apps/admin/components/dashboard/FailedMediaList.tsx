import type { Dashboard } from '@e3d/contracts';
import Link from 'next/link';
import { formatDateTime } from '@/lib/format';
import styles from './dashboard.module.css';

type FailedMedia = NonNullable<Dashboard['failedMedia']>[number];

/** Uploads whose processing failed: each opens its product, where it can be replaced. */
export function FailedMediaList({ items }: { items: FailedMedia[] }) {
  return (
    <section className="card stack" aria-labelledby="failed-media-heading">
      <h2 id="failed-media-heading">Media that failed processing</h2>
      {items.length === 0 ? (
        <p className="muted">No failed uploads.</p>
      ) : (
        <ul className={styles.list}>
          {items.map((item) => (
            <li key={item.mediaId} className={styles.listItem}>
              <div className={styles.failure}>
                <Link href={`/products/${item.productId}`}>{item.productTitle}</Link>
                <div>
                  {item.kind === 'model' ? '3D model' : 'Image'}
                  {item.filename && <span className="mono"> · {item.filename}</span>}
                  <span className="muted"> · {formatDateTime(item.createdAt)}</span>
                </div>
                <p className={styles.failureMessage}>
                  {item.failure.message} <span className="mono muted">({item.failure.code})</span>
                </p>
              </div>
              <span className="badge danger">Failed</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
