'use client';

import { useEffect, useState } from 'react';
import { useToasts } from '@/components/ui/Toasts';
import { fieldErrors, isApiError } from '@/lib/api';
import styles from './media.module.css';
import { getMaterialVariants, type MaterialVariantMapping, setMaterialVariants } from './media-api';

/**
 * Which material variant (KHR_materials_variants) of the model each product variant shows.
 * Picking one previews it in the viewers; Save stores the links.
 */
export function MaterialVariantsForm({
  mediaId,
  ready,
  variants,
  canEdit,
  onPreview,
}: {
  mediaId: string;
  /** Links can be saved only once the model is processed. */
  ready: boolean;
  variants: { id: string; title: string }[];
  canEdit: boolean;
  onPreview: (materialVariant: string | null) => void;
}) {
  const { notify } = useToasts();
  const [mapping, setMapping] = useState<MaterialVariantMapping | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    const controller = new AbortController();
    getMaterialVariants(mediaId, controller.signal).then(
      (result) => {
        setMapping(result);
        setDraft(Object.fromEntries(result.links.map((l) => [l.variantId, l.materialVariant])));
        setLoadError(null);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setLoadError(isApiError(err) ? err.detail : 'The material variants could not be loaded.');
      },
    );
    return () => controller.abort();
  }, [mediaId]);

  if (loadError)
    return (
      <p className="notice danger" role="alert">
        {loadError}
      </p>
    );
  if (!mapping) return <p className="muted">Loading material variants…</p>;
  if (mapping.available.length === 0) {
    return (
      <p className="muted">
        This model has no material variants. Export it with KHR_materials_variants (e.g. one variant per
        colour) to let each product variant switch the 3D model’s look.
      </p>
    );
  }
  if (variants.length === 0) {
    return (
      <p className="muted">
        The model has material variants ({mapping.available.join(', ')}), but the product has no variants to
        link them to yet.
      </p>
    );
  }

  const saved = Object.fromEntries(mapping.links.map((l) => [l.variantId, l.materialVariant]));
  const dirty = variants.some((v) => (draft[v.id] ?? '') !== (saved[v.id] ?? ''));

  const save = async () => {
    setSaving(true);
    setError(null);
    setErrors({});
    const links = variants
      .filter((v) => draft[v.id])
      .map((v) => ({ variantId: v.id, materialVariant: draft[v.id] as string }));
    try {
      const result = await setMaterialVariants(mediaId, links);
      setMapping(result);
      setDraft(Object.fromEntries(result.links.map((l) => [l.variantId, l.materialVariant])));
      notify('Material variants saved.');
    } catch (err) {
      if (isApiError(err)) {
        const byField = fieldErrors(err);
        // `links.2.materialVariant` → the variant of the third link sent.
        const perVariant: Record<string, string> = {};
        for (const [field, message] of Object.entries(byField)) {
          const index = /^links\.(\d+)\./.exec(field)?.[1];
          const link = index === undefined ? undefined : links[Number(index)];
          if (link) perVariant[link.variantId] = message;
        }
        setErrors(perVariant);
        setError(err.detail);
      } else setError('The material variants could not be saved.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <p className="muted">
        Available in the model: {mapping.available.join(', ')}. Choosing one previews it in the 3D views
        above.
      </p>
      <div className={styles.variantGrid}>
        {variants.map((variant) => {
          const message = errors[variant.id];
          if (!canEdit) {
            return (
              <div key={variant.id} className="field">
                <span>{variant.title}</span>
                <span>{saved[variant.id] ?? 'None (default look)'}</span>
              </div>
            );
          }
          return (
            <label key={variant.id} className="field">
              <span>{variant.title}</span>
              <select
                value={draft[variant.id] ?? ''}
                aria-invalid={message ? true : undefined}
                onChange={(event) => {
                  const value = event.target.value;
                  setDraft((d) => ({ ...d, [variant.id]: value }));
                  onPreview(value || null);
                }}
                onFocus={() => onPreview(draft[variant.id] || null)}
              >
                <option value="">None (the model’s default look)</option>
                {mapping.available.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
              {message && <span className="error">{message}</span>}
            </label>
          );
        })}
      </div>
      {error && (
        <p className="notice danger" role="alert">
          {error}
        </p>
      )}
      {canEdit && (
        <div className="row">
          <button type="submit" className="button primary" disabled={!dirty || saving || !ready}>
            {saving ? 'Saving…' : 'Save material variants'}
          </button>
          {dirty && (
            <button
              type="button"
              className="button"
              disabled={saving}
              onClick={() => {
                setDraft(saved);
                setErrors({});
                setError(null);
                onPreview(null);
              }}
            >
              Discard changes
            </button>
          )}
        </div>
      )}
    </form>
  );
}
