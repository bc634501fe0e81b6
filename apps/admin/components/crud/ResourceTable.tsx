'use client';

import type { ReactNode } from 'react';
import { LoadState } from '@/components/ui/LoadState';
import { LoadMore } from '@/components/ui/Pager';
import { useToasts } from '@/components/ui/Toasts';
import type { ResourceList, ResourceRow } from './useResourceList';

/** One column of a resource table: its heading and what a row shows in it. */
export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  /** Right-aligned (amounts, counts). */
  numeric?: boolean;
  /** Extra class of the cells, e.g. `mono` for codes. */
  className?: string;
}

/**
 * A list from `useResourceList` as a table: loading and refusals (with a retry) until it has
 * rows, `empty` when it has none, then one row per item with its actions at the end, and
 * "Load more" while the API has further pages.
 */
export function ResourceTable<T extends ResourceRow>({
  list,
  what,
  empty,
  columns,
  actions,
  rowClassName,
}: {
  list: ResourceList<T>;
  /** What the rows are, plural and capitalised ("Tax rates"), for the loading and error lines. */
  what: string;
  empty: ReactNode;
  columns: Column<T>[];
  actions: (row: T) => ReactNode;
  rowClassName?: (row: T) => string | undefined;
}) {
  const { fail } = useToasts();
  const { items, error } = list;
  if (items === null || error) return <LoadState resource={list} what={what} />;
  if (items.length === 0) return <>{empty}</>;
  const loadMore = () =>
    list
      .loadMore()
      .catch((caught: unknown) => fail(caught, `More ${what.toLowerCase()} could not be loaded.`));
  const cellClass = (column: Column<T>) =>
    [column.numeric ? 'num' : '', column.className ?? ''].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <div className="table-wrap" aria-busy={list.loading}>
        <table className="table">
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.header} scope="col" className={column.numeric ? 'num' : undefined}>
                  {column.header}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((row) => (
              <tr key={row.id} className={rowClassName?.(row)}>
                {columns.map((column) => (
                  <td key={column.header} className={cellClass(column)}>
                    {column.cell(row)}
                  </td>
                ))}
                <td>{actions(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.nextCursor && <LoadMore onLoad={() => void loadMore()} loading={list.loadingMore} />}
    </>
  );
}
