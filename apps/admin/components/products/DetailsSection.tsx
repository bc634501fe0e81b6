'use client';

import type { DetailsDraft } from './product-draft';

/** An input's error line and the attributes that tie it to the input. */
export function fieldError(id: string, message: string | undefined) {
  return {
    props: message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {},
    line: message ? (
      <span id={id} className="error">
        {message}
      </span>
    ) : null,
  };
}

export function DetailsSection({
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
  const title = fieldError('title-error', errors.title);
  const handle = fieldError('handle-error', errors.handle);
  const description = fieldError('description-error', errors.description);
  return (
    <section className="card stack" aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <div className="form-grid">
        <label className="field">
          <span>Title</span>
          <input
            type="text"
            value={draft.title}
            maxLength={255}
            required
            readOnly={readOnly}
            onChange={(e) => onChange({ ...draft, title: e.target.value })}
            {...title.props}
          />
          {title.line}
        </label>
        <label className="field">
          <span>Handle</span>
          <input
            type="text"
            className="mono"
            value={draft.handle}
            maxLength={200}
            required
            readOnly={readOnly}
            spellCheck={false}
            onChange={(e) => onChange({ ...draft, handle: e.target.value.toLowerCase() })}
            aria-describedby={errors.handle ? 'handle-error handle-hint' : 'handle-hint'}
            aria-invalid={errors.handle ? true : undefined}
          />
          <span id="handle-hint" className="hint">
            The product&apos;s address in the shop: /products/{draft.handle || '…'}. Changing it breaks old
            links.
          </span>
          {handle.line}
        </label>
      </div>
      <label className="field">
        <span>Description</span>
        <textarea
          rows={8}
          value={draft.description}
          maxLength={50_000}
          readOnly={readOnly}
          onChange={(e) => onChange({ ...draft, description: e.target.value })}
          {...description.props}
        />
        {description.line}
      </label>
    </section>
  );
}
