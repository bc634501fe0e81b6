'use client';

import type { AdminProduct } from '@e3d/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { PageHeader } from '@/components/ui/PageHeader';
import { useToasts } from '@/components/ui/Toasts';
import { api, fieldErrors, isApiError, newIdempotencyKey } from '@/lib/api';
import { fieldError } from './DetailsSection';
import { ReadOnlyNotice } from './ReadOnlyNotice';
import { handleProblem, slugify } from './slug';

/**
 * A new product starts as a draft with a title (and a handle made from it unless one is typed);
 * options, variants, prices and media are added on its page, where this form leads.
 */
export function NewProductForm() {
  const router = useRouter();
  const { can } = useStaff();
  const { notify } = useToasts();
  const [title, setTitle] = useState('');
  const [handle, setHandle] = useState('');
  const [handleEdited, setHandleEdited] = useState(false);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per attempt, so a retried request after a lost answer does not create a twin.
  const [attemptKey, setAttemptKey] = useState(newIdempotencyKey);

  const effectiveHandle = handleEdited ? handle : slugify(title);

  if (!can('catalog:write')) {
    return (
      <div className="stack">
        <PageHeader title="New product" back={<Link href="/products">← Products</Link>} />
        <ReadOnlyNotice />
      </div>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!title.trim()) found.title = 'Give the product a title';
    if (effectiveHandle) {
      const problem = handleProblem(effectiveHandle);
      if (problem) found.handle = `The handle ${problem}`;
    } else if (title.trim()) {
      found.handle = 'The title has no letters or digits to make a handle from: type one';
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(null);
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const product = await api.post<AdminProduct>(
        '/api/admin/products',
        { title: title.trim(), handle: effectiveHandle, description },
        { idempotencyKey: attemptKey },
      );
      notify(`Created “${product.title}” as a draft`);
      router.push(`/products/${product.id}`);
    } catch (error) {
      setErrors(fieldErrors(error));
      setFormError(isApiError(error) ? error.detail : 'The product could not be created.');
      if (!isApiError(error) || !error.isNetworkError) setAttemptKey(newIdempotencyKey());
      setBusy(false);
    }
  };

  const titleError = fieldError('new-title-error', errors.title);
  const handleErr = errors.handle;
  const descriptionError = fieldError('new-description-error', errors.description);

  return (
    <div className="stack">
      <PageHeader
        title="New product"
        description="It starts as a draft: add variants, prices and media on the next page, then publish it."
        back={<Link href="/products">← Products</Link>}
      />
      <form className="card stack" onSubmit={submit} noValidate aria-label="New product">
        {formError && (
          <p className="notice danger" role="alert">
            {formError}
          </p>
        )}
        <label className="field">
          <span>Title</span>
          <input
            type="text"
            value={title}
            maxLength={255}
            required
            onChange={(e) => setTitle(e.target.value)}
            {...titleError.props}
          />
          {titleError.line}
        </label>
        <label className="field">
          <span>Handle</span>
          <input
            type="text"
            className="mono"
            value={effectiveHandle}
            maxLength={200}
            spellCheck={false}
            onChange={(e) => {
              setHandleEdited(true);
              setHandle(e.target.value.toLowerCase());
            }}
            aria-describedby={handleErr ? 'new-handle-error new-handle-hint' : 'new-handle-hint'}
            aria-invalid={handleErr ? true : undefined}
          />
          <span id="new-handle-hint" className="hint">
            The product&apos;s address in the shop: /products/{effectiveHandle || '…'}.{' '}
            {handleEdited ? (
              <button
                type="button"
                className="button link"
                onClick={() => {
                  setHandleEdited(false);
                  setHandle('');
                }}
              >
                Make it from the title again
              </button>
            ) : (
              'Made from the title; edit it to choose your own.'
            )}
          </span>
          {handleErr && (
            <span id="new-handle-error" className="error">
              {handleErr}
            </span>
          )}
        </label>
        <label className="field">
          <span>Description</span>
          <textarea
            rows={6}
            value={description}
            maxLength={50_000}
            onChange={(e) => setDescription(e.target.value)}
            {...descriptionError.props}
          />
          {descriptionError.line}
        </label>
        <div className="row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create product'}
          </button>
          <Link href="/products" className="button">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
