'use client';

import styles from './products.module.css';
import type { Taxonomy } from './taxonomy';

/**
 * Which categories (the first is the primary one, used for the breadcrumb) and collections the
 * product is in. Collections are saved on the collections themselves, after the product.
 */
export function TaxonomySection({
  taxonomy,
  categoryIds,
  onCategoriesChange,
  collectionIds,
  onCollectionsChange,
  errors,
  readOnly,
}: {
  taxonomy: Taxonomy;
  categoryIds: string[];
  onCategoriesChange: (ids: string[]) => void;
  collectionIds: string[];
  onCollectionsChange: (ids: string[]) => void;
  errors: Record<string, string>;
  readOnly: boolean;
}) {
  const categoryError =
    errors.categoryIds ?? Object.entries(errors).find(([field]) => field.startsWith('categoryIds.'))?.[1];
  const toggleCategory = (id: string, on: boolean) =>
    onCategoriesChange(on ? [...categoryIds, id] : categoryIds.filter((c) => c !== id));
  const makePrimary = (id: string) => onCategoriesChange([id, ...categoryIds.filter((c) => c !== id)]);
  const toggleCollection = (id: string, on: boolean) =>
    onCollectionsChange(on ? [...collectionIds, id] : collectionIds.filter((c) => c !== id));

  return (
    <section className="card stack" aria-labelledby="taxonomy-heading">
      <h2 id="taxonomy-heading">Categories and collections</h2>
      {taxonomy.loading && <p className="muted">Loading categories and collections…</p>}
      {taxonomy.error && (
        <p className="notice danger" role="alert">
          {taxonomy.error}
        </p>
      )}
      <div className={styles.twoColumns}>
        <fieldset
          className={styles.checkList}
          aria-describedby={categoryError ? 'categories-error' : undefined}
        >
          <legend>Categories</legend>
          {!taxonomy.loading && taxonomy.categories.length === 0 && (
            <p className="muted">No categories yet.</p>
          )}
          {taxonomy.categories.map((category) => {
            const index = categoryIds.indexOf(category.id);
            return (
              <div
                key={category.id}
                className={styles.checkItem}
                style={{ paddingLeft: `${category.depth * 1.25}rem` }}
              >
                <label>
                  <input
                    type="checkbox"
                    checked={index >= 0}
                    disabled={readOnly}
                    onChange={(e) => toggleCategory(category.id, e.target.checked)}
                  />{' '}
                  {category.name}
                </label>
                {index === 0 && categoryIds.length > 1 && <span className="badge info">Primary</span>}
                {index > 0 && !readOnly && (
                  <button
                    type="button"
                    className="button link small"
                    onClick={() => makePrimary(category.id)}
                    aria-label={`Make ${category.name} the primary category`}
                  >
                    Make primary
                  </button>
                )}
              </div>
            );
          })}
          {categoryError && (
            <span id="categories-error" className={styles.cellError}>
              {categoryError}
            </span>
          )}
          {categoryIds.length > 1 && (
            <p className="hint muted">The primary category is shown in the shop&apos;s breadcrumb.</p>
          )}
        </fieldset>
        <fieldset className={styles.checkList}>
          <legend>Collections</legend>
          {!taxonomy.loading && taxonomy.collections.length === 0 && (
            <p className="muted">No collections yet.</p>
          )}
          {taxonomy.collections.map((collection) => (
            <div key={collection.id} className={styles.checkItem}>
              <label>
                <input
                  type="checkbox"
                  checked={collectionIds.includes(collection.id)}
                  disabled={readOnly}
                  onChange={(e) => toggleCollection(collection.id, e.target.checked)}
                />{' '}
                {collection.title}
              </label>
              {collection.featured && <span className="badge">Featured</span>}
            </div>
          ))}
        </fieldset>
      </div>
    </section>
  );
}
