import { formatDateTime } from '@/lib/format';
import { actorLabel, describeEvent } from './order-rules';
import styles from './orders.module.css';
import type { AdminOrder } from './types';

/** The order's history, newest first: every status change, payment event, refund and email. */
export function OrderTimeline({ order, meId }: { order: AdminOrder; meId: string }) {
  const entries = [...order.history].reverse();
  return (
    <section className="card stack" aria-labelledby="order-history-heading">
      <h2 id="order-history-heading">History</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol className={styles.timeline}>
          {entries.map((entry, index) => {
            const { title, detail } = describeEvent(entry, order.currency);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: history entries have no id; the list only grows
              <li key={`${entry.at}-${entry.type}-${index}`}>
                <strong>{title}</strong>
                {detail && <span> — {detail}</span>}
                <span className={styles.when}>
                  <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {actorLabel(entry.actorType)}
                  {entry.actorType === 'staff' && entry.actorId === meId && ' (you)'}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
