'use client';

import type { AdminProduct } from '@e3d/contracts';
import { useState } from 'react';
import { Dialog } from '@/components/ui/Dialog';
import { api, isApiError } from '@/lib/api';

/** Deleting is final: the product, its variants and its media files go. */
export function DeleteProductDialog({
  open,
  product,
  onClose,
  onDeleted,
}: {
  open: boolean;
  product: AdminProduct;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/api/admin/products/${product.id}`, {
        headers: { 'if-match': `"${product.version}"` },
      });
      onDeleted();
    } catch (caught) {
      setError(
        isApiError(caught)
          ? caught.code === 'version_conflict'
            ? 'Someone else saved this product since you opened it. Reload the page and check it before deleting.'
            : caught.detail
          : 'The product could not be deleted.',
      );
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setError(null);
    onClose();
  };

  return (
    <Dialog
      open={open}
      title="Delete product?"
      onClose={close}
      footer={
        <>
          <button type="button" className="button" onClick={close} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button danger solid" onClick={() => void remove()} disabled={busy}>
            {busy ? 'Deleting…' : 'Delete product'}
          </button>
        </>
      }
    >
      <p>
        “{product.title}”, its {product.variants.length} variant{product.variants.length === 1 ? '' : 's'} and
        its media files will be deleted. This cannot be undone.
        {product.status === 'published' && ' It disappears from the shop at once.'}
      </p>
      {product.status !== 'archived' && (
        <p className="muted">To hide it but keep its history, archive it instead.</p>
      )}
      {error && (
        <p className="notice danger" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
