import loading from '@/components/ui/loading.module.css';
import styles from './dashboard.module.css';

/** The dashboard's shape in grey while its figures load. */
export function DashboardSkeleton() {
  return (
    <div className="stack" aria-busy="true">
      <span className="visually-hidden" role="status">
        Loading the dashboard
      </span>
      <div className={styles.kpis} aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <div key={i} className={`card ${styles.kpi}`}>
            <span className={`${loading.skeleton} ${styles.w40}`} />
            <span className={`${loading.skeleton} ${styles.skeletonLarge}`} />
            <span className={`${loading.skeleton} ${styles.w70}`} />
          </div>
        ))}
      </div>
      <div className={styles.charts} aria-hidden="true">
        {[0, 1].map((i) => (
          <div key={i} className="card">
            <span className={`${loading.skeleton} ${styles.skeletonChart}`} />
          </div>
        ))}
      </div>
      <div className={styles.panels} aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <div key={i} className="card stack">
            <span className={`${loading.skeleton} ${styles.w50}`} />
            <span className={loading.skeleton} />
            <span className={loading.skeleton} />
            <span className={loading.skeleton} />
          </div>
        ))}
      </div>
    </div>
  );
}
