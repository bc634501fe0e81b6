import styles from './dashboard.module.css';

export const PERIODS = [7, 30, 90] as const;
export type Period = (typeof PERIODS)[number];

/** The dashboard's period: one of a few lengths, as a group of toggle buttons. */
export function PeriodPicker({ value, onChange }: { value: Period; onChange: (days: Period) => void }) {
  return (
    <fieldset className={styles.periods}>
      <legend className="visually-hidden">Period</legend>
      {PERIODS.map((days) => (
        <button
          key={days}
          type="button"
          className={`button small${days === value ? ' primary' : ''}`}
          aria-pressed={days === value}
          onClick={() => onChange(days)}
        >
          Last {days} days
        </button>
      ))}
    </fieldset>
  );
}
