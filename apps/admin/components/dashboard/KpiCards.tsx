import type { Dashboard } from '@e3d/contracts';
import { formatMoney, formatNumber } from '@/lib/format';
import styles from './dashboard.module.css';
import { type Delta, delta, deltaText } from './delta';

type Sales = NonNullable<Dashboard['sales']>;

/** Revenue, orders and average order value for the period, each against the period before. */
export function KpiCards({ sales, currency, days }: { sales: Sales; currency: string; days: number }) {
  const { totals, previousTotals: previous } = sales;
  const previousAverage = previous.orders > 0 ? Math.round(previous.revenue / previous.orders) : 0;
  const cards = [
    {
      label: 'Revenue',
      value: formatMoney(totals.revenue, currency),
      before: formatMoney(previous.revenue, currency),
      change: delta(totals.revenue, previous.revenue),
      hint: 'Paid orders, net of refunds',
    },
    {
      label: 'Orders',
      value: formatNumber(totals.orders),
      before: formatNumber(previous.orders),
      change: delta(totals.orders, previous.orders),
      hint: 'Paid orders',
    },
    {
      label: 'Average order value',
      value: formatMoney(totals.averageOrderValue, currency),
      before: formatMoney(previousAverage, currency),
      change: delta(totals.averageOrderValue, previousAverage),
      hint: 'Revenue per paid order',
    },
  ];
  return (
    <ul className={styles.kpis} aria-label="Key figures">
      {cards.map((card) => (
        <li key={card.label} className={`card ${styles.kpi}`}>
          <span className={styles.kpiLabel}>{card.label}</span>
          <strong className={styles.kpiValue}>{card.value}</strong>
          <DeltaLine change={card.change} before={card.before} days={days} />
          <span className="muted">{card.hint}</span>
        </li>
      ))}
    </ul>
  );
}

function DeltaLine({ change, before, days }: { change: Delta; before: string; days: number }) {
  const text = deltaText(change);
  const tone =
    change.direction === 'up' ? styles.up : change.direction === 'down' ? styles.down : styles.flat;
  return (
    <span className={styles.delta}>
      <span className={tone} aria-hidden="true">
        {text.visual}
      </span>
      <span className="visually-hidden">{text.spoken}</span>{' '}
      <span className="muted">
        vs previous {days} days ({before})
      </span>
    </span>
  );
}
