import type { Dashboard } from '@e3d/contracts';
import { ColumnChart } from '@/components/charts/ColumnChart';
import { formatMoney, formatNumber } from '@/lib/format';
import styles from './dashboard.module.css';
import { shortDay } from './delta';

type Sales = NonNullable<Dashboard['sales']>;

/** Revenue and orders per day over the period. */
export function SalesCharts({ sales, currency }: { sales: Sales; currency: string }) {
  const revenue = sales.series.map((day) => ({ label: shortDay(day.date), value: day.revenue }));
  const orders = sales.series.map((day) => ({ label: shortDay(day.date), value: day.orders }));
  return (
    <div className={styles.charts}>
      <section className="card" aria-label="Revenue over time">
        <ColumnChart title="Revenue" columns={revenue} format={(value) => formatMoney(value, currency)} />
      </section>
      <section className="card" aria-label="Orders over time">
        <ColumnChart title="Orders" columns={orders} format={formatNumber} />
      </section>
    </div>
  );
}
