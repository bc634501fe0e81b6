'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useTransition } from 'react';
import styles from './Listing.module.css';
import type { ListingSort } from './listing-params';

interface FilterFormProps {
  basePath: string;
  q?: string;
  sort: ListingSort;
  sorts: { value: ListingSort; label: string }[];
  min?: number;
  max?: number;
  inStock: boolean;
  has3d: boolean;
  currencySymbol: string;
  clearHref?: string;
}

/**
 * Sort and filters as a plain GET form (works without JavaScript: the Apply button submits it).
 * With JavaScript, select and checkbox changes apply at once and empty fields stay out of the URL.
 * Any change starts again at the first page (the form carries no cursor).
 */
export function FilterForm(props: FilterFormProps) {
  const router = useRouter();
  const active =
    (props.min !== undefined || props.max !== undefined ? 1 : 0) +
    (props.inStock ? 1 : 0) +
    (props.has3d ? 1 : 0);
  const [pending, startTransition] = useTransition();

  const navigate = (form: HTMLFormElement) => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
    }
    const query = params.toString();
    startTransition(() =>
      router.push(query ? `${props.basePath}?${query}` : props.basePath, { scroll: false }),
    );
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(event.currentTarget);
  };

  return (
    <form
      action={props.basePath}
      method="get"
      className={styles.filters}
      onSubmit={onSubmit}
      onChange={(event) => {
        const target = event.target;
        if (
          target instanceof HTMLSelectElement ||
          (target instanceof HTMLInputElement && target.type === 'checkbox')
        ) {
          navigate(event.currentTarget);
        }
      }}
      aria-busy={pending}
      aria-label="Sort and filter"
    >
      {props.q && <input type="hidden" name="q" value={props.q} />}
      <div className={styles.field}>
        <label htmlFor="listing-sort" className={styles.label}>
          Sort by
        </label>
        <select id="listing-sort" name="sort" defaultValue={props.sort} className={styles.select}>
          {props.sorts.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <details className={styles.more} open={active > 0 || undefined}>
        <summary className={styles.moreToggle}>
          Filters{active > 0 && <span className={styles.moreCount}>{active}</span>}
        </summary>
        <div className={styles.moreBody}>
          <fieldset className={styles.price}>
            <legend className={styles.label}>Price</legend>
            <div className={styles.priceInputs}>
              <label className={styles.money}>
                <span className="visually-hidden">Minimum price</span>
                <span aria-hidden="true">{props.currencySymbol}</span>
                <input
                  type="number"
                  name="min"
                  min={0}
                  step="any"
                  inputMode="decimal"
                  placeholder="Min"
                  defaultValue={props.min}
                />
              </label>
              <span aria-hidden="true">–</span>
              <label className={styles.money}>
                <span className="visually-hidden">Maximum price</span>
                <span aria-hidden="true">{props.currencySymbol}</span>
                <input
                  type="number"
                  name="max"
                  min={0}
                  step="any"
                  inputMode="decimal"
                  placeholder="Max"
                  defaultValue={props.max}
                />
              </label>
            </div>
          </fieldset>
          <div className={styles.checks}>
            <label className={styles.check}>
              <input type="checkbox" name="inStock" value="1" defaultChecked={props.inStock} />
              In stock
            </label>
            <label className={styles.check}>
              <input type="checkbox" name="has3d" value="1" defaultChecked={props.has3d} />
              Viewable in 3D
            </label>
          </div>
          <div className={styles.formActions}>
            <button type="submit" className="button">
              Apply
            </button>
            {props.clearHref && (
              <Link href={props.clearHref} className={styles.clear}>
                Clear filters
              </Link>
            )}
          </div>
        </div>
      </details>
    </form>
  );
}
