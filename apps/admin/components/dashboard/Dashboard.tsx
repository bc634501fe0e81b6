'use client';

import type { Dashboard as DashboardData } from '@e3d/contracts';
import { useRouter, useSearchParams } from 'next/navigation';
import { useStaff } from '@/components/session/StaffSession';
import loading from '@/components/ui/loading.module.css';
import { PageHeader } from '@/components/ui/PageHeader';
import { useApiData } from '@/lib/use-api-data';
import { BestSellers } from './BestSellers';
import { DashboardSkeleton } from './DashboardSkeleton';
import styles from './dashboard.module.css';
import { FailedMediaList } from './FailedMediaList';
import { KpiCards } from './KpiCards';
import { LowStockList } from './LowStockList';
import { PERIODS, type Period, PeriodPicker } from './PeriodPicker';
import { SalesCharts } from './SalesCharts';

const DEFAULT_PERIOD: Period = 30;

const readPeriod = (value: string | null): Period => {
  const days = Number(value);
  return (PERIODS as readonly number[]).includes(days) ? (days as Period) : DEFAULT_PERIOD;
};

/**
 * `/`: the shop at a glance for the chosen period. The API leaves out (null) what the role may
 * not see, and those sections are not drawn at all.
 */
export function Dashboard() {
  const router = useRouter();
  const params = useSearchParams();
  const { can, staff } = useStaff();
  const days = readPeriod(params.get('days'));
  const dashboard = useApiData<DashboardData>(
    `/api/admin/dashboard?days=${days}`,
    'The dashboard could not be loaded.',
  );

  const choose = (next: Period) =>
    router.replace(next === DEFAULT_PERIOD ? '/' : `/?days=${next}`, { scroll: false });

  // A period switch keeps the last figures on screen (dimmed) until the new ones arrive.
  const shown = dashboard.data;
  return (
    <>
      <PageHeader
        title="Dashboard"
        description={`Welcome back${staff.name ? `, ${staff.name}` : ''}. Sales are in UTC days.`}
        actions={<PeriodPicker value={days} onChange={choose} />}
      />
      <p className="visually-hidden" aria-live="polite">
        {dashboard.loading ? 'Loading figures…' : shown ? `Showing the last ${shown.days} days.` : ''}
      </p>
      {dashboard.errorMessage && (
        <div className="notice danger" role="alert">
          <p>{dashboard.errorMessage}</p>
          <button type="button" className="button small" onClick={dashboard.reload}>
            Try again
          </button>
        </div>
      )}
      {!shown ? (
        !dashboard.errorMessage && <DashboardSkeleton />
      ) : (
        <div className={`stack${dashboard.loading ? ` ${loading.stale}` : ''}`} aria-busy={dashboard.loading}>
          {shown.sales && <KpiCards sales={shown.sales} currency={shown.currency} days={shown.days} />}
          {shown.sales && <SalesCharts sales={shown.sales} currency={shown.currency} />}
          {(shown.bestSellers || shown.lowStock || shown.failedMedia) && (
            <div className={styles.panels}>
              {shown.bestSellers && (
                <BestSellers
                  items={shown.bestSellers}
                  currency={shown.currency}
                  productLinks={can('catalog:read')}
                />
              )}
              {shown.lowStock && <LowStockList items={shown.lowStock} />}
              {shown.failedMedia && <FailedMediaList items={shown.failedMedia} />}
            </div>
          )}
          {!shown.sales && !shown.bestSellers && !shown.lowStock && !shown.failedMedia && (
            <p className="notice">Your role has no dashboard figures. Use the sections in the sidebar.</p>
          )}
        </div>
      )}
    </>
  );
}
