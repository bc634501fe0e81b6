import styles from './loading.module.css';

/** Grey rows where a table will be, while its first page loads. */
export function TableSkeleton({
  columns,
  rows = 6,
  label,
}: {
  columns: number;
  rows?: number;
  label: string;
}) {
  return (
    <div className="table-wrap" aria-busy="true">
      <span className="visually-hidden" role="status">
        {label}
      </span>
      <table className="table" aria-hidden="true">
        <tbody>
          {Array.from({ length: rows }, (_, row) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <tr key={row}>
              {Array.from({ length: columns }, (_, column) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
                <td key={column}>
                  <span className={styles.skeleton} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
