import styles from './charts.module.css';

export interface CompareBar {
  label: string;
  value: number;
  tone?: 'before' | 'after';
}

/** A few values side by side as horizontal bars (e.g. a model's size before and after). */
export function CompareBars({
  title,
  bars,
  format = String,
}: {
  title: string;
  bars: CompareBar[];
  format?: (value: number) => string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span>{title}</span>
      </figcaption>
      <ul className={styles.hbars}>
        {bars.map((bar) => (
          <li key={bar.label} className={styles.hrow}>
            <span className={styles.hlabel}>{bar.label}</span>
            <span className={styles.htrack}>
              <span
                className={`${styles.hfill} ${bar.tone === 'before' ? styles.before : ''}`}
                style={{ width: `${(bar.value / max) * 100}%` }}
              />
            </span>
            <span className={styles.hvalue}>{format(bar.value)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
