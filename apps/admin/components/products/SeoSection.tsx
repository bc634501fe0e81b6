'use client';

import { fieldError } from './DetailsSection';
import type { DetailsDraft } from './product-draft';

/** How the product shows in search results; blank fields fall back to title and description. */
export function SeoSection({
  draft,
  onChange,
  errors,
  readOnly,
}: {
  draft: DetailsDraft;
  onChange: (draft: DetailsDraft) => void;
  errors: Record<string, string>;
  readOnly: boolean;
}) {
  const title = fieldError('seo-title-error', errors['seo.title']);
  const description = fieldError('seo-description-error', errors['seo.description']);
  return (
    <section className="card stack" aria-labelledby="seo-heading">
      <h2 id="seo-heading">Search engines</h2>
      <label className="field">
        <span>SEO title</span>
        <input
          type="text"
          value={draft.seoTitle}
          maxLength={255}
          placeholder={draft.title}
          readOnly={readOnly}
          onChange={(e) => onChange({ ...draft, seoTitle: e.target.value })}
          {...title.props}
        />
        <span className="hint">Blank: the product title. {draft.seoTitle.length}/255</span>
        {title.line}
      </label>
      <label className="field">
        <span>SEO description</span>
        <textarea
          rows={3}
          value={draft.seoDescription}
          maxLength={1000}
          readOnly={readOnly}
          onChange={(e) => onChange({ ...draft, seoDescription: e.target.value })}
          {...description.props}
        />
        <span className="hint">
          Blank: the start of the description. Search engines show about 160 characters.{' '}
          {draft.seoDescription.length}/1000
        </span>
        {description.line}
      </label>
    </section>
  );
}
