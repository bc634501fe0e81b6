'use client';

import type { AdminProduct, BulkEdit } from '@e3d/contracts';
import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { useToasts } from '@/components/ui/Toasts';
import { api, isApiError } from '@/lib/api';
import { formatMoney, formatNumber } from '@/lib/format';
import {
  type BulkPreviewRow,
  type BulkSettings,
  bulkRows,
  type PriceMode,
  previewRows,
  type StockMode,
  settingsErrors,
} from './bulk-edit';
import styles from './products.module.css';

/** Reads products a few at a time: enough to be quick, few enough not to swamp the API. */
async function loadProducts(ids: string[], signal: AbortSignal): Promise<AdminProduct[]> {
  const out: AdminProduct[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      out[index] = await api.get<AdminProduct>(`/api/admin/products/${ids[index]}`, { signal });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, ids.length) }, worker));
  return out;
}

const INITIAL: BulkSettings = { priceMode: 'keep', priceValue: '', stockMode: 'keep', stockValue: '' };

/**
 * Price and stock for every variant of the selected products, previewed row by row, then sent
 * as one all-or-nothing edit: if any row cannot apply, nothing changes and the rows say why.
 */
export function BulkEditDialog({
  open,
  productIds,
  onClose,
  onDone,
}: {
  open: boolean;
  productIds: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { notify } = useToasts();
  const [products, setProducts] = useState<AdminProduct[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [settings, setSettings] = useState<BulkSettings>(INITIAL);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Record<string, string>>({});

  const idsKey = productIds.join(',');
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    setProducts(null);
    setLoadError(null);
    setSettings(INITIAL);
    setTouched(false);
    setSubmitError(null);
    setRowErrors({});
    loadProducts(idsKey.split(',').filter(Boolean), controller.signal)
      .then(setProducts)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setLoadError(isApiError(error) ? error.detail : 'The selected products could not be loaded.');
        }
      });
    return () => controller.abort();
  }, [open, idsKey]);

  const problems = settingsErrors(settings);
  const rows = useMemo(() => (products ? previewRows(products, settings) : []), [products, settings]);
  const changing = rows.filter((r) => r.newPrice !== r.price || r.newStock !== r.stock);
  const blocked = rows.filter((r) => r.problem);
  const valid = Object.keys(problems).length === 0;
  const update = (patch: Partial<BulkSettings>) => {
    setSettings((s) => ({ ...s, ...patch }));
    setTouched(true);
    setRowErrors({});
    setSubmitError(null);
  };

  const apply = async () => {
    if (!valid || blocked.length > 0 || changing.length === 0) return;
    const sent = bulkRows(rows, settings);
    setBusy(true);
    setSubmitError(null);
    try {
      const result = await api.post<{ updated: number }>('/api/admin/products/bulk', {
        rows: sent,
      } satisfies BulkEdit);
      notify(`Updated ${formatNumber(result.updated)} variant${result.updated === 1 ? '' : 's'}`);
      onDone();
    } catch (error) {
      const byVariant: Record<string, string> = {};
      if (isApiError(error)) {
        for (const problem of error.errors) {
          const match = /^rows\.(\d+)\.(.+)$/.exec(problem.field);
          const row = match ? sent[Number(match[1])] : undefined;
          if (row) byVariant[row.variantId] ??= `${match?.[2]} ${problem.message}`;
        }
      }
      setRowErrors(byVariant);
      setSubmitError(
        isApiError(error)
          ? error.code === 'bulk_rejected'
            ? `${error.detail} The rows marked below say why.`
            : error.detail
          : 'The edit could not be applied; nothing was changed.',
      );
    } finally {
      setBusy(false);
    }
  };

  const priceLabel = settings.priceMode === 'percent' ? 'Percent change' : 'New price';
  const stockLabel = settings.stockMode === 'adjust' ? 'Stock change' : 'New stock';
  const count = productIds.length;

  return (
    <Dialog
      open={open}
      title={`Edit prices and stock of ${count} product${count === 1 ? '' : 's'}`}
      onClose={onClose}
      size="large"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            onClick={() => void apply()}
            disabled={busy || !products || !valid || blocked.length > 0 || changing.length === 0}
          >
            {busy
              ? 'Applying…'
              : `Apply to ${formatNumber(changing.length)} variant${changing.length === 1 ? '' : 's'}`}
          </button>
        </>
      }
    >
      <div className={styles.bulkBody}>
        <div className="form-grid">
          <fieldset className={styles.modeGroup}>
            <legend>Price</legend>
            {(
              [
                ['keep', 'Leave unchanged'],
                ['set', 'Set to an amount'],
                ['percent', 'Change by a percentage'],
              ] as [PriceMode, string][]
            ).map(([mode, label]) => (
              <label key={mode}>
                <input
                  type="radio"
                  name="bulk-price-mode"
                  checked={settings.priceMode === mode}
                  onChange={() => update({ priceMode: mode, priceValue: '' })}
                />{' '}
                {label}
              </label>
            ))}
            {settings.priceMode !== 'keep' && (
              <label className="field">
                <span>{priceLabel}</span>
                <input
                  type="text"
                  inputMode="decimal"
                  value={settings.priceValue}
                  placeholder={settings.priceMode === 'percent' ? '-10' : '12.50'}
                  onChange={(e) => update({ priceValue: e.target.value })}
                  aria-invalid={touched && problems.price ? true : undefined}
                  aria-describedby="bulk-price-help"
                />
                <span id="bulk-price-help" className={touched && problems.price ? 'error' : 'hint'}>
                  {touched && problems.price
                    ? problems.price
                    : settings.priceMode === 'percent'
                      ? 'Use a minus sign to lower prices; results round to the nearest cent.'
                      : "In each variant's currency."}
                </span>
              </label>
            )}
          </fieldset>
          <fieldset className={styles.modeGroup}>
            <legend>Stock</legend>
            {(
              [
                ['keep', 'Leave unchanged'],
                ['set', 'Set to'],
                ['adjust', 'Adjust by'],
              ] as [StockMode, string][]
            ).map(([mode, label]) => (
              <label key={mode}>
                <input
                  type="radio"
                  name="bulk-stock-mode"
                  checked={settings.stockMode === mode}
                  onChange={() => update({ stockMode: mode, stockValue: '' })}
                />{' '}
                {label}
              </label>
            ))}
            {settings.stockMode !== 'keep' && (
              <label className="field">
                <span>{stockLabel}</span>
                <input
                  type="text"
                  inputMode="numeric"
                  value={settings.stockValue}
                  placeholder={settings.stockMode === 'adjust' ? '+5 or -3' : '0'}
                  onChange={(e) => update({ stockValue: e.target.value })}
                  aria-invalid={touched && problems.stock ? true : undefined}
                  aria-describedby="bulk-stock-help"
                />
                {touched && problems.stock && (
                  <span id="bulk-stock-help" className="error">
                    {problems.stock}
                  </span>
                )}
              </label>
            )}
          </fieldset>
        </div>

        {loadError && (
          <p className="notice danger" role="alert">
            {loadError}
          </p>
        )}
        {!products && !loadError && (
          <p className="muted" aria-busy="true">
            <span className="spinner" aria-hidden="true" /> Loading the variants…
          </p>
        )}
        {submitError && (
          <p className="notice danger" role="alert">
            {submitError}
          </p>
        )}
        {products && (
          <>
            <p aria-live="polite">
              {rows.length === 0
                ? 'The selected products have no variants yet.'
                : !valid
                  ? `${formatNumber(rows.length)} variants selected. Choose what to change.`
                  : `${formatNumber(changing.length)} of ${formatNumber(rows.length)} variants will change.${
                      blocked.length > 0 ? ` ${blocked.length} cannot: fix them or change the settings.` : ''
                    }`}
            </p>
            {rows.length > 0 && <PreviewTable rows={rows} rowErrors={rowErrors} showChanges={valid} />}
          </>
        )}
      </div>
    </Dialog>
  );
}

function PreviewTable({
  rows,
  rowErrors,
  showChanges,
}: {
  rows: BulkPreviewRow[];
  rowErrors: Record<string, string>;
  showChanges: boolean;
}) {
  const arrow = (before: string, after: string, changed: boolean) =>
    changed && showChanges ? (
      <>
        <s className="muted">{before}</s> → <span className={styles.changed}>{after}</span>
      </>
    ) : (
      before
    );
  return (
    <div className={`table-wrap ${styles.preview}`}>
      <table className="table">
        <caption className="visually-hidden">Preview of the changes</caption>
        <thead>
          <tr>
            <th scope="col">Product</th>
            <th scope="col">Variant</th>
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Stock
            </th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const problem = (showChanges && r.problem) || rowErrors[r.variantId];
            return (
              <tr key={r.variantId} className={problem ? styles.rowError : undefined}>
                <td>{r.productTitle}</td>
                <td>{r.variantTitle}</td>
                <td className="mono">{r.sku}</td>
                <td className="num">
                  {arrow(
                    formatMoney(r.price, r.currency),
                    formatMoney(r.newPrice, r.currency),
                    r.newPrice !== r.price,
                  )}
                </td>
                <td className="num">
                  {arrow(formatNumber(r.stock), formatNumber(r.newStock), r.newStock !== r.stock)}
                </td>
                <td>{problem || ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
