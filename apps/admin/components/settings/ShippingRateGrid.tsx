'use client';

import styles from './settings.module.css';
import {
  cellKey,
  countriesKey,
  GRID_KEY,
  type GridErrors,
  limitKey,
  newRowKey,
  type RateGrid,
} from './shipping-rates';

/**
 * The rates of one shipping method as a table: destinations down, weight brackets across. The
 * last column is the open bracket for anything heavier than the last limit.
 */
export function ShippingRateGrid({
  grid,
  onChange,
  errors,
  currency,
}: {
  grid: RateGrid;
  onChange: (grid: RateGrid) => void;
  errors: GridErrors;
  currency: string;
}) {
  const columns = grid.limits.length + 1;

  const setLimit = (column: number, value: string) =>
    onChange({ ...grid, limits: grid.limits.map((l, i) => (i === column ? value : l)) });

  const addColumn = () => {
    const numeric = grid.limits.map(Number).filter((n) => Number.isFinite(n) && n > 0);
    const suggestion = numeric.length > 0 ? String(Math.max(...numeric) * 2) : '1000';
    onChange({
      limits: [...grid.limits, suggestion],
      // The new column goes before the open one, so each row gets an empty cell there.
      rows: grid.rows.map((row) => ({
        ...row,
        cells: [...row.cells.slice(0, grid.limits.length), '', ...row.cells.slice(grid.limits.length)],
      })),
    });
  };

  const removeColumn = (column: number) =>
    onChange({
      limits: grid.limits.filter((_, i) => i !== column),
      rows: grid.rows.map((row) => ({ ...row, cells: row.cells.filter((_, i) => i !== column) })),
    });

  const setRow = (rowIndex: number, update: Partial<RateGrid['rows'][number]>) =>
    onChange({ ...grid, rows: grid.rows.map((row, i) => (i === rowIndex ? { ...row, ...update } : row)) });

  const setCell = (rowIndex: number, column: number, value: string) => {
    const row = grid.rows[rowIndex];
    if (row) setRow(rowIndex, { cells: row.cells.map((c, i) => (i === column ? value : c)) });
  };

  const addRow = () =>
    onChange({
      ...grid,
      rows: [
        ...grid.rows,
        { key: newRowKey(), countries: '', cells: Array.from({ length: columns }, () => '') },
      ],
    });

  const removeRow = (rowIndex: number) =>
    onChange({ ...grid, rows: grid.rows.filter((_, i) => i !== rowIndex) });

  const lastLimit = grid.limits.at(-1);
  const openLabel = lastLimit ? 'Heavier' : 'Any weight';

  return (
    <fieldset className="stack" style={{ border: 'none', margin: 0, padding: 0 }}>
      <legend style={{ fontWeight: 500, padding: 0, marginBottom: '0.35rem' }}>Rates ({currency})</legend>
      <p className="muted" style={{ margin: 0 }}>
        One row per group of destinations (country codes, or * for every country no other row names), one
        column per weight bracket. Leave a cell empty to charge the next heavier price; a parcel heavier than
        the last priced column cannot ship there.
      </p>
      {errors[GRID_KEY] && (
        <p className="notice danger" role="alert">
          {errors[GRID_KEY]}
        </p>
      )}
      <div className={styles.gridWrap}>
        <table className={styles.rateGrid}>
          <thead>
            <tr>
              <th scope="col">Destinations</th>
              {grid.limits.map((limit, column) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns have no identity beyond their position
                <th scope="col" key={column}>
                  <div className="row" style={{ flexWrap: 'nowrap' }}>
                    <label className="row" style={{ flexWrap: 'nowrap', gap: '0.25rem' }}>
                      <span>Up to</span>
                      <input
                        type="text"
                        inputMode="numeric"
                        value={limit}
                        aria-label={`Weight limit of column ${column + 1} in grams`}
                        aria-invalid={errors[limitKey(column)] ? true : undefined}
                        onChange={(event) => setLimit(column, event.target.value)}
                        style={{ width: '6rem' }}
                      />
                      <span>g</span>
                    </label>
                    <button
                      type="button"
                      className="button small link"
                      onClick={() => removeColumn(column)}
                      aria-label={`Remove the up to ${limit || '?'} g column`}
                    >
                      ✕
                    </button>
                  </div>
                  {errors[limitKey(column)] && (
                    <span className={styles.cellError}>{errors[limitKey(column)]}</span>
                  )}
                </th>
              ))}
              <th scope="col">
                {openLabel}
                {lastLimit ? <span className="muted"> (over {lastLimit} g)</span> : null}
              </th>
              <th scope="col">
                <span className="visually-hidden">Remove row</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row, rowIndex) => {
              const rowLabel = row.countries.trim() || `row ${rowIndex + 1}`;
              return (
                <tr key={row.key}>
                  <td>
                    <input
                      type="text"
                      className={styles.countries}
                      value={row.countries}
                      placeholder="DE, AT, CH or *"
                      aria-label={`Destinations of row ${rowIndex + 1}`}
                      aria-invalid={errors[countriesKey(rowIndex)] ? true : undefined}
                      onChange={(event) => setRow(rowIndex, { countries: event.target.value })}
                    />
                    {errors[countriesKey(rowIndex)] && (
                      <span className={styles.cellError}>{errors[countriesKey(rowIndex)]}</span>
                    )}
                  </td>
                  {Array.from({ length: columns }, (_, column) => {
                    const key = cellKey(rowIndex, column);
                    const bracket =
                      column < grid.limits.length
                        ? `up to ${grid.limits[column] || '?'} g`
                        : openLabel.toLowerCase();
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: cells are addressed by column position
                      <td key={column}>
                        <input
                          type="text"
                          inputMode="decimal"
                          value={row.cells[column] ?? ''}
                          aria-label={`Price for ${rowLabel}, ${bracket}`}
                          aria-invalid={errors[key] ? true : undefined}
                          onChange={(event) => setCell(rowIndex, column, event.target.value)}
                        />
                        {errors[key] && <span className={styles.cellError}>{errors[key]}</span>}
                      </td>
                    );
                  })}
                  <td>
                    <button
                      type="button"
                      className="button small danger"
                      onClick={() => removeRow(rowIndex)}
                      disabled={grid.rows.length === 1}
                      aria-label={`Remove destinations ${rowLabel}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button type="button" className="button small" onClick={addRow}>
          Add destinations
        </button>
        <button type="button" className="button small" onClick={addColumn}>
          Add weight bracket
        </button>
      </div>
    </fieldset>
  );
}
