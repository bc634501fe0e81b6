'use client';

import type { AdminProduct, ProductTransition } from '@e3d/contracts';
import { useState } from 'react';
import { useToasts } from '@/components/ui/Toasts';
import { api, isApiError } from '@/lib/api';

const LABELS: Record<ProductTransition, string> = {
  publish: 'Publish',
  unpublish: 'Unpublish',
  archive: 'Archive',
};

/** Which transitions the API allows from each status. */
const AVAILABLE: Record<AdminProduct['status'], ProductTransition[]> = {
  draft: ['publish', 'archive'],
  published: ['unpublish', 'archive'],
  archived: ['publish'],
};

/** Publish / Unpublish / Archive, each against the version the page holds. */
export function StatusActions({
  product,
  dirty,
  disabled,
  onDone,
  onConflict,
}: {
  product: AdminProduct;
  dirty: boolean;
  disabled: boolean;
  onDone: (product: AdminProduct) => void;
  onConflict: () => void;
}) {
  const { notify, fail } = useToasts();
  const [running, setRunning] = useState<ProductTransition | null>(null);

  const run = async (transition: ProductTransition) => {
    if (
      dirty &&
      !window.confirm(
        `${LABELS[transition]} the last saved version? Your unsaved changes are kept on the page but are not part of it until you save.`,
      )
    ) {
      return;
    }
    setRunning(transition);
    try {
      const updated = await api.post<AdminProduct>(`/api/admin/products/${product.id}/${transition}`, {
        version: product.version,
      });
      onDone(updated);
      notify(
        {
          publish: 'Published: the product is in the shop.',
          unpublish: 'Unpublished: back to draft.',
          archive: 'Archived.',
        }[transition],
      );
    } catch (error) {
      if (isApiError(error) && error.code === 'version_conflict') onConflict();
      else fail(error, `Could not ${transition} the product.`);
    } finally {
      setRunning(null);
    }
  };

  return (
    <>
      {AVAILABLE[product.status].map((transition) => (
        <button
          key={transition}
          type="button"
          className={`button${transition === 'publish' ? ' primary' : ''}`}
          onClick={() => void run(transition)}
          disabled={disabled || running !== null}
          aria-busy={running === transition}
        >
          {LABELS[transition]}
        </button>
      ))}
    </>
  );
}
