/** A period's figure against the period before: direction and percentage for a KPI card. */
export interface Delta {
  direction: 'up' | 'down' | 'flat';
  /** null when there is nothing to compare with (the previous period was zero). */
  percent: number | null;
}

export function delta(current: number, previous: number): Delta {
  if (current === previous) return { direction: 'flat', percent: previous === 0 ? null : 0 };
  if (previous === 0) return { direction: 'up', percent: null };
  const percent = ((current - previous) / Math.abs(previous)) * 100;
  return { direction: percent > 0 ? 'up' : 'down', percent: Math.abs(percent) };
}

const percentFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "▲ 12.5%" for the eye, "up 12.5%" for screen readers. */
export function deltaText(value: Delta): { visual: string; spoken: string } {
  if (value.direction === 'flat') {
    return value.percent === null
      ? { visual: '—', spoken: 'no change, nothing in either period' }
      : { visual: '0%', spoken: 'no change' };
  }
  const arrow = value.direction === 'up' ? '▲' : '▼';
  const word = value.direction === 'up' ? 'up' : 'down';
  if (value.percent === null) return { visual: `${arrow} new`, spoken: `${word} from nothing` };
  const pct = `${percentFormat.format(value.percent)}%`;
  return { visual: `${arrow} ${pct}`, spoken: `${word} ${pct}` };
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "2026-11-03" (a UTC day) → "Nov 3". */
export const shortDay = (day: string) => shortDate.format(new Date(`${day}T00:00:00Z`));
