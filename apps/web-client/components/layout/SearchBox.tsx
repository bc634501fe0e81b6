'use client';

import type { ProductSummary } from '@e3d/contracts';
import { useRouter } from 'next/navigation';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useAssetPath } from '@/components/catalog/AssetOrigin';
import { renditionFor } from '@/components/catalog/media';
import { formatMoney } from '@/lib/money';
import styles from './SearchBox.module.css';

const DEBOUNCE_MS = 180;
const MIN_CHARS = 2;

type Status = 'idle' | 'loading' | 'done' | 'error';

/**
 * The header search: a plain GET form to /search (works without JavaScript), enhanced into an
 * ARIA 1.2 combobox with suggestions as you type. Arrow keys move through the suggestions,
 * Enter opens the highlighted product or, with none highlighted, the full results page.
 */
export function SearchBox() {
  const router = useRouter();
  const assetPath = useAssetPath();
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<ProductSummary[]>([]);
  const [status, setStatus] = useState<Status>('idle');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);

  const term = query.trim();
  useEffect(() => {
    if (term.length < MIN_CHARS) {
      setResults([]);
      setStatus('idle');
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setStatus('loading');
      try {
        const response = await fetch(`/api/products?q=${encodeURIComponent(term)}&limit=6`, {
          signal: controller.signal,
          headers: { accept: 'application/json' },
        });
        if (!response.ok) throw new Error(String(response.status));
        const page = (await response.json()) as { items: ProductSummary[] };
        setResults(page.items);
        setActive(-1);
        setStatus('done');
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setStatus('error');
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [term]);

  // Options: the products, then "all results".
  const count = results.length + (term.length >= MIN_CHARS && status === 'done' ? 1 : 0);
  const expanded = open && term.length >= MIN_CHARS && status !== 'idle';
  const searchHref = `/search?q=${encodeURIComponent(term)}`;

  const go = (href: string) => {
    setOpen(false);
    setActive(-1);
    inputRef.current?.blur();
    router.push(href);
  };
  const hrefAt = (index: number) => {
    const product = results[index];
    return product ? `/products/${product.handle}` : searchHref;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setOpen(true);
        if (count) setActive((i) => (i + 1) % count);
        break;
      case 'ArrowUp':
        event.preventDefault();
        setOpen(true);
        if (count) setActive((i) => (i <= 0 ? count - 1 : i - 1));
        break;
      case 'Enter':
        if (expanded && active >= 0) {
          event.preventDefault();
          go(hrefAt(active));
        }
        break;
      case 'Escape':
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (query) {
          event.preventDefault();
          setQuery('');
        }
        break;
      case 'Home':
      case 'End':
        setActive(-1);
        break;
    }
  };

  const optionId = (i: number) => `${id}-opt-${i}`;
  const announcement =
    !expanded || status === 'loading'
      ? ''
      : status === 'error'
        ? 'Search suggestions are unavailable.'
        : results.length
          ? `${results.length} suggestion${results.length === 1 ? '' : 's'}. Use up and down arrows to choose.`
          : `No products match ${term}.`;

  return (
    <search className={styles.form}>
      <form
        action="/search"
        method="get"
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          if (term) go(searchHref);
        }}
      >
        <label htmlFor={`${id}-input`} className="visually-hidden">
          Search products
        </label>
        <svg
          className={styles.icon}
          viewBox="0 0 20 20"
          width="18"
          height="18"
          aria-hidden="true"
          focusable="false"
        >
          <path
            d="M8.5 3a5.5 5.5 0 0 1 4.38 8.82l3.65 3.65-1.06 1.06-3.65-3.65A5.5 5.5 0 1 1 8.5 3Zm0 1.5a4 4 0 1 0 0 8 4 4 0 0 0 0-8Z"
            fill="currentColor"
          />
        </svg>
        <input
          ref={inputRef}
          id={`${id}-input`}
          className={styles.input}
          type="search"
          name="q"
          placeholder="Search products"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
        />
        <div
          id={listId}
          role="listbox"
          aria-label="Product suggestions"
          className={styles.list}
          hidden={!expanded || count === 0}
          // Keep focus in the input while a suggestion is clicked.
          onMouseDown={(event) => event.preventDefault()}
        >
          {results.map((product, i) => {
            const thumb = product.thumbnail;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keyboard (aria-activedescendant)
              <div
                key={product.id}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={i === active}
                className={styles.option}
                onClick={() => go(hrefAt(i))}
                onMouseMove={() => setActive(i)}
              >
                {thumb ? (
                  // biome-ignore lint/performance/noImgElement: a 44px thumbnail already sized by the API's renditions
                  <img
                    src={assetPath(renditionFor(thumb, 96))}
                    alt=""
                    width={44}
                    height={44}
                    className={styles.thumb}
                    loading="lazy"
                  />
                ) : (
                  <span className={styles.thumb} />
                )}
                <span className={styles.optionText}>
                  <span className={styles.optionTitle}>{product.title}</span>
                  <span className={styles.optionMeta}>
                    {product.priceRange
                      ? formatMoney(product.priceRange.min.amount, product.priceRange.min.currency)
                      : ''}
                    {!product.available && ' · Sold out'}
                    {product.has3d && ' · 3D'}
                  </span>
                </span>
              </div>
            );
          })}
          {status === 'done' && (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keyboard (aria-activedescendant)
            <div
              id={optionId(results.length)}
              role="option"
              tabIndex={-1}
              aria-selected={active === results.length}
              className={`${styles.option} ${styles.all}`}
              onClick={() => go(searchHref)}
              onMouseMove={() => setActive(results.length)}
            >
              {results.length ? `See all results for “${term}”` : `No matches yet — search for “${term}”`}
            </div>
          )}
        </div>
        <div className="visually-hidden" aria-live="polite" aria-atomic="true">
          {announcement}
        </div>
      </form>
    </search>
  );
}
