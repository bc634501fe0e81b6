'use client';

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useAssetPath } from '@/components/catalog/AssetOrigin';
import { formatMoney } from '@/lib/money';
import styles from './CartLines.module.css';
import { type CartLine, type CartView, loadCart, removeLine, setLineQuantity } from './cart-store';
import { cartErrorMessage, lineProblem } from './messages';

const MAX_QUANTITY = 999;

/** The variant's name, unless the product has only its default one. */
export function variantLabel(title: string): string | null {
  return !title || /^default( title)?$/i.test(title) ? null : title;
}

export function productHref(handle: string) {
  return `/products/${encodeURIComponent(handle)}`;
}

/** The cart's lines, editable (drawer, cart page) or as a summary (checkout). */
export function CartLines({
  cart,
  readOnly = false,
  compact = false,
  onNavigate,
}: {
  cart: CartView;
  readOnly?: boolean;
  compact?: boolean;
  onNavigate?: () => void;
}) {
  return (
    <ul className={`${styles.lines} ${compact ? styles.compact : ''}`}>
      {cart.lines.map((line) => (
        <LineItem
          key={line.variantId}
          line={line}
          currency={cart.currency}
          readOnly={readOnly}
          onNavigate={onNavigate}
        />
      ))}
    </ul>
  );
}

function LineItem({
  line,
  currency,
  readOnly,
  onNavigate,
}: {
  line: CartLine;
  currency: string;
  readOnly: boolean;
  onNavigate?: (() => void) | undefined;
}) {
  const [pending, setPending] = useState<'quantity' | 'remove' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState(String(line.quantity));
  const row = useRef<HTMLLIElement>(null);
  const id = useId();
  const problem = lineProblem(line);
  const variant = variantLabel(line.variantTitle);
  const assetPath = useAssetPath();
  const image = line.imageUrl ? assetPath(line.imageUrl) : null;
  const href = productHref(line.productHandle);

  useEffect(() => setDraft(String(line.quantity)), [line.quantity]);

  const change = async (quantity: number) => {
    if (pending || quantity === line.quantity) return;
    if (quantity < 1) return remove();
    setPending('quantity');
    setError(null);
    try {
      await setLineQuantity(line.variantId, Math.min(quantity, MAX_QUANTITY));
    } catch (caught) {
      setError(cartErrorMessage(caught));
      setDraft(String(line.quantity));
      void loadCart();
    } finally {
      setPending(null);
    }
  };

  const remove = async () => {
    if (pending) return;
    setPending('remove');
    setError(null);
    // Focus must not fall to the page when this line's buttons go: the next line, or the heading.
    const item = row.current;
    const neighbour = (item?.nextElementSibling ?? item?.previousElementSibling)?.querySelector<HTMLElement>(
      'a',
    );
    const heading = item?.closest('dialog, main')?.querySelector<HTMLElement>('h1, h2');
    try {
      await removeLine(line.variantId, line.productTitle);
      requestAnimationFrame(() => {
        const target = neighbour?.isConnected
          ? neighbour
          : heading?.isConnected
            ? heading
            : document.querySelector<HTMLElement>('dialog[open] h2, main h1');
        if (target && !target.hasAttribute('tabindex') && target.tagName !== 'A') target.tabIndex = -1;
        target?.focus();
      });
    } catch (caught) {
      setError(cartErrorMessage(caught));
      void loadCart();
      setPending(null);
    }
  };

  const submitDraft = (event?: FormEvent) => {
    event?.preventDefault();
    const value = Number.parseInt(draft, 10);
    if (Number.isFinite(value) && value >= 0) void change(value);
    else setDraft(String(line.quantity));
  };

  const maxReached = line.available !== null && line.quantity >= line.available;
  const described = [problem ? `${id}-problem` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');

  return (
    <li
      ref={row}
      className={`${styles.line} ${pending === 'remove' ? styles.removing : ''}`}
      aria-busy={pending !== null}
    >
      <span className={styles.thumb}>
        {image ? (
          // biome-ignore lint/performance/noImgElement: a small thumbnail already sized by the API's renditions
          <img src={image} alt="" width={80} height={80} loading="lazy" decoding="async" />
        ) : null}
      </span>
      <div className={styles.info}>
        <a href={href} className={styles.title} onClick={onNavigate}>
          {line.productTitle}
        </a>
        {variant ? <span className={styles.variant}>{variant}</span> : null}
        <span className={styles.unit}>
          {formatMoney(line.unitPrice, currency)}
          {line.compareAtPrice && line.compareAtPrice > line.unitPrice ? (
            <>
              {' '}
              <s className={styles.compare}>
                <span className="visually-hidden">was </span>
                {formatMoney(line.compareAtPrice, currency)}
              </s>
            </>
          ) : null}
          {readOnly ? <span className={styles.qtyText}> × {line.quantity}</span> : null}
        </span>
        {problem ? (
          <span id={`${id}-problem`} className={styles.problem}>
            {problem}
          </span>
        ) : null}
        {!readOnly ? (
          <div className={styles.controls}>
            <form
              className={styles.stepper}
              onSubmit={submitDraft}
              aria-label={`Quantity of ${line.productTitle}`}
            >
              <button
                type="button"
                className={styles.step}
                onClick={() => void change(line.quantity - 1)}
                disabled={pending !== null || line.quantity <= 1}
                aria-label={`One fewer ${line.productTitle}`}
              >
                −
              </button>
              <label className="visually-hidden" htmlFor={`${id}-qty`}>
                Quantity of {line.productTitle}
              </label>
              <input
                id={`${id}-qty`}
                className={styles.qty}
                type="number"
                inputMode="numeric"
                min={1}
                max={MAX_QUANTITY}
                value={draft}
                disabled={pending !== null}
                onChange={(event) => setDraft(event.target.value)}
                onBlur={() => submitDraft()}
                aria-describedby={described || undefined}
                aria-invalid={problem === null ? undefined : true}
              />
              <button
                type="button"
                className={styles.step}
                onClick={() => void change(line.quantity + 1)}
                disabled={pending !== null || maxReached || line.problem === 'unavailable'}
                aria-label={`One more ${line.productTitle}`}
              >
                +
              </button>
            </form>
            <button
              type="button"
              className={styles.remove}
              onClick={() => void remove()}
              disabled={pending !== null}
              aria-label={`Remove ${line.productTitle}${variant ? ` (${variant})` : ''}`}
            >
              Remove
            </button>
          </div>
        ) : null}
        {error ? (
          <span id={`${id}-error`} className={styles.error} role="alert">
            {error}
          </span>
        ) : null}
      </div>
      <div className={styles.total}>{formatMoney(line.subtotal, currency)}</div>
    </li>
  );
}
