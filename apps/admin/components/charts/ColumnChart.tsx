import styles from './charts.module.css';

export interface Column {
  label: string;
  value: number;
}

/**
 * Values over time as columns (inline SVG: no chart library for a few dozen bars). Every column
 * carries its value as a <title> for hover and screen readers; the table-like summary is the
 * accessible name.
 */
export function ColumnChart({
  title,
  columns,
  format = String,
  height = 180,
}: {
  title: string;
  columns: Column[];
  format?: (value: number) => string;
  height?: number;
}) {
  const max = Math.max(0, ...columns.map((c) => c.value));
  const width = 600;
  const top = 12;
  const bottom = 22;
  const plot = height - top - bottom;
  const step = columns.length ? width / columns.length : width;
  const bar = Math.max(2, step * 0.7);
  const total = columns.reduce((sum, c) => sum + c.value, 0);
  const labelEvery = Math.max(1, Math.ceil(columns.length / 8));
  return (
    <figure className={styles.figure}>
      <figcaption className={styles.caption}>
        <span>{title}</span>
        <strong>{format(total)}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className={styles.svg}
        role="img"
        aria-label={`${title}: ${format(total)} in total, highest ${format(max)}`}
        preserveAspectRatio="none"
      >
        <line x1={0} x2={width} y1={top + plot} y2={top + plot} className={styles.axis} />
        {columns.map((column, i) => {
          const h = max > 0 ? (column.value / max) * plot : 0;
          const x = i * step + (step - bar) / 2;
          return (
            <g key={column.label}>
              <rect
                x={x}
                y={top + plot - h}
                width={bar}
                height={Math.max(h, column.value > 0 ? 1 : 0)}
                rx={2}
                className={styles.bar}
              >
                <title>{`${column.label}: ${format(column.value)}`}</title>
              </rect>
              {i % labelEvery === 0 && (
                <text x={x + bar / 2} y={height - 6} textAnchor="middle" className={styles.tick}>
                  {column.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
