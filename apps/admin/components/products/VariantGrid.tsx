'use client';

import { useState } from 'react';
import styles from './products.module.css';
import {
  blankVariant,
  type GridDraft,
  generateVariants,
  newKey,
  type OptionDraft,
  optionValues,
  type VariantDraft,
  variantLabel,
} from './variant-grid';

/** An error under a grid cell, tied to its input by id. */
function CellError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={id} className={styles.cellError}>
      {message}
    </span>
  );
}

/**
 * Options (Colour: Red, Blue) and the variant rows they make, each with its SKU, price,
 * compare-at price, stock, backorder and weight. Edits stay local until the page saves the
 * whole grid in one request.
 */
export function VariantGrid({
  grid,
  onChange,
  errors,
  readOnly,
  currency,
  handle,
}: {
  grid: GridDraft;
  onChange: (grid: GridDraft) => void;
  errors: Record<string, string>;
  readOnly: boolean;
  currency: string;
  handle: string;
}) {
  const [status, setStatus] = useState('');
  const namedOptions = grid.options.filter((o) => o.name.trim());

  const setOption = (key: string, patch: Partial<OptionDraft>) =>
    onChange({ ...grid, options: grid.options.map((o) => (o.key === key ? { ...o, ...patch } : o)) });
  const removeOption = (option: OptionDraft) =>
    onChange({
      options: grid.options.filter((o) => o.key !== option.key),
      variants: grid.variants.map((v) => {
        const { [option.key]: _dropped, ...values } = v.values;
        return { ...v, values };
      }),
    });
  const addOption = () =>
    onChange({ ...grid, options: [...grid.options, { key: newKey('option'), name: '', values: '' }] });
  const setVariant = (key: string, patch: Partial<VariantDraft>) =>
    onChange({ ...grid, variants: grid.variants.map((v) => (v.key === key ? { ...v, ...patch } : v)) });
  const removeVariant = (key: string) =>
    onChange({ ...grid, variants: grid.variants.filter((v) => v.key !== key) });

  const generate = () => {
    const result = generateVariants(grid, handle);
    if (result.error) {
      setStatus(result.error);
      return;
    }
    onChange(result.grid);
    setStatus(
      result.added === 0
        ? 'Every combination already has a variant.'
        : `Added ${result.added} variant${result.added === 1 ? '' : 's'}. Set their prices and stock, then save.`,
    );
  };

  const canAddVariant = namedOptions.length > 0 || grid.variants.length === 0;
  const err = (field: string) => errors[field];
  const described = (id: string, message: string | undefined) =>
    message ? { 'aria-describedby': id, 'aria-invalid': true as const } : {};

  return (
    <section className="card stack" aria-labelledby="variants-heading">
      <div>
        <h2 id="variants-heading">Options and variants</h2>
        <p className="muted">
          Options are the choices a customer makes (Colour, Size). Each combination is a variant with its own
          SKU, price and stock. Prices are in {currency}.
        </p>
      </div>

      <div className="stack">
        {grid.options.length === 0 && (
          <p className="muted">No options: the product is sold as a single variant.</p>
        )}
        {grid.options.map((option, i) => {
          const nameError = err(`options.${i}.name`);
          const valuesError = err(`options.${i}.values`);
          return (
            <div key={option.key} className={styles.optionRow}>
              <label className="field">
                <span>Option {i + 1} name</span>
                <input
                  type="text"
                  value={option.name}
                  maxLength={100}
                  placeholder="Colour"
                  readOnly={readOnly}
                  onChange={(e) => setOption(option.key, { name: e.target.value })}
                  {...described(`option-${i}-name-error`, nameError)}
                />
                <CellError id={`option-${i}-name-error`} message={nameError} />
              </label>
              <label className="field">
                <span>Option {i + 1} values</span>
                <input
                  type="text"
                  value={option.values}
                  placeholder="Red, Blue"
                  readOnly={readOnly}
                  onChange={(e) => setOption(option.key, { values: e.target.value })}
                  {...described(`option-${i}-values-error`, valuesError)}
                />
                <span className="hint">Separate values with commas.</span>
                <CellError id={`option-${i}-values-error`} message={valuesError} />
              </label>
              {!readOnly && (
                <button
                  type="button"
                  className="button small danger"
                  onClick={() => removeOption(option)}
                  aria-label={`Remove option ${option.name.trim() || i + 1}`}
                >
                  Remove
                </button>
              )}
            </div>
          );
        })}
        {err('options') && (
          <p className="notice danger" role="alert">
            {err('options')}
          </p>
        )}
        {!readOnly && (
          <div className="row">
            <button type="button" className="button" onClick={addOption} disabled={grid.options.length >= 10}>
              Add option
            </button>
            <button type="button" className="button" onClick={generate} disabled={grid.options.length === 0}>
              Generate variants
            </button>
            <span className="muted" aria-live="polite">
              {status}
            </span>
          </div>
        )}
      </div>

      {grid.variants.length === 0 ? (
        <p className="muted">
          No variants yet. A product needs at least one variant (its price) before it can be published.
        </p>
      ) : (
        <div className="table-wrap">
          <table className={`table ${styles.grid}`}>
            <caption className="visually-hidden">Variants</caption>
            <thead>
              <tr>
                <th scope="col">Variant</th>
                {namedOptions.map((o) => (
                  <th scope="col" key={o.key}>
                    {o.name}
                  </th>
                ))}
                <th scope="col">SKU</th>
                <th scope="col">Price ({currency})</th>
                <th scope="col">Compare-at ({currency})</th>
                <th scope="col">Stock</th>
                <th scope="col">Backorder</th>
                <th scope="col">Weight (g)</th>
                {!readOnly && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {grid.variants.map((variant, i) => {
                const label = variantLabel(grid, variant, i);
                const id = (field: string) => `variant-${i}-${field}-error`;
                const rowError =
                  err(`variants.${i}.options`) ?? err(`variants.${i}.id`) ?? err(`variants.${i}`);
                const priceError =
                  err(`variants.${i}.price.amount`) ??
                  err(`variants.${i}.price.currency`) ??
                  err(`variants.${i}.price`);
                const compareError =
                  err(`variants.${i}.compareAtPrice.amount`) ??
                  err(`variants.${i}.compareAtPrice.currency`) ??
                  err(`variants.${i}.compareAtPrice`);
                return (
                  <tr key={variant.key}>
                    <th scope="row" className={styles.variantName}>
                      {label}
                      <CellError id={id('row')} message={rowError} />
                    </th>
                    {namedOptions.map((o) => {
                      const values = optionValues(o.values);
                      const current = variant.values[o.key] ?? '';
                      const choiceError = err(`variants.${i}.options.${o.key}`);
                      return (
                        <td key={o.key}>
                          <select
                            aria-label={`${o.name} of row ${i + 1}`}
                            value={values.includes(current) ? current : ''}
                            disabled={readOnly}
                            onChange={(e) =>
                              setVariant(variant.key, {
                                values: { ...variant.values, [o.key]: e.target.value },
                              })
                            }
                            {...described(id(`option-${o.key}`), choiceError)}
                          >
                            <option value="">
                              {current && !values.includes(current) ? `${current}?` : '—'}
                            </option>
                            {values.map((value) => (
                              <option key={value} value={value}>
                                {value}
                              </option>
                            ))}
                          </select>
                          <CellError id={id(`option-${o.key}`)} message={choiceError} />
                        </td>
                      );
                    })}
                    <td>
                      <input
                        type="text"
                        className={styles.skuInput}
                        aria-label={`SKU for ${label}`}
                        value={variant.sku}
                        maxLength={100}
                        readOnly={readOnly}
                        onChange={(e) => setVariant(variant.key, { sku: e.target.value })}
                        {...described(id('sku'), err(`variants.${i}.sku`))}
                      />
                      <CellError id={id('sku')} message={err(`variants.${i}.sku`)} />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        className={styles.numberInput}
                        aria-label={`Price for ${label}`}
                        placeholder="0.00"
                        value={variant.price}
                        readOnly={readOnly}
                        onChange={(e) => setVariant(variant.key, { price: e.target.value })}
                        {...described(id('price'), priceError)}
                      />
                      <CellError id={id('price')} message={priceError} />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        className={styles.numberInput}
                        aria-label={`Compare-at price for ${label}`}
                        value={variant.compareAt}
                        readOnly={readOnly}
                        onChange={(e) => setVariant(variant.key, { compareAt: e.target.value })}
                        {...described(id('compare'), compareError)}
                      />
                      <CellError id={id('compare')} message={compareError} />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="numeric"
                        className={styles.numberInput}
                        aria-label={`Stock for ${label}`}
                        value={variant.stock}
                        readOnly={readOnly}
                        onChange={(e) => setVariant(variant.key, { stock: e.target.value })}
                        {...described(id('stock'), err(`variants.${i}.stock`))}
                      />
                      <CellError id={id('stock')} message={err(`variants.${i}.stock`)} />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Allow backorder for ${label}`}
                        checked={variant.allowBackorder}
                        disabled={readOnly}
                        onChange={(e) => setVariant(variant.key, { allowBackorder: e.target.checked })}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="numeric"
                        className={styles.numberInput}
                        aria-label={`Weight in grams for ${label}`}
                        value={variant.weight}
                        readOnly={readOnly}
                        onChange={(e) => setVariant(variant.key, { weight: e.target.value })}
                        {...described(id('weight'), err(`variants.${i}.weightGrams`))}
                      />
                      <CellError id={id('weight')} message={err(`variants.${i}.weightGrams`)} />
                    </td>
                    {!readOnly && (
                      <td>
                        <button
                          type="button"
                          className="button small danger"
                          aria-label={`Remove ${label}`}
                          onClick={() => removeVariant(variant.key)}
                        >
                          Remove
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {err('variants') && (
        <p className="notice danger" role="alert">
          {err('variants')}
        </p>
      )}
      {!readOnly && (
        <div className="row">
          <button
            type="button"
            className="button"
            disabled={!canAddVariant}
            onClick={() => onChange({ ...grid, variants: [...grid.variants, blankVariant(grid, handle)] })}
          >
            Add variant
          </button>
          {!canAddVariant && <span className="muted">Add an option to sell more than one variant.</span>}
        </div>
      )}
    </section>
  );
}
