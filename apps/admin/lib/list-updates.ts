/**
 * `setData` updaters for a list answer (`{ items }`) after a write answered with the changed row,
 * so the table shows it at once without waiting for a reload.
 */
type Row = { id: string | number };
type ListAnswer<T> = { items: T[] };

/** Replaces the row with the same id, or appends it when it is new. */
export const withRow =
  <T extends Row, L extends ListAnswer<T>>(row: T) =>
  (current: L | null): L | null => {
    if (!current) return current;
    const known = current.items.some((item) => item.id === row.id);
    return {
      ...current,
      items: known ? current.items.map((item) => (item.id === row.id ? row : item)) : [...current.items, row],
    };
  };
