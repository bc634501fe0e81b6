'use client';

import type { AdminProduct } from '@e3d/contracts';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { api, isApiError } from '@/lib/api';
import { errorDetail } from '@/lib/use-api-data';

const deleteErrorMessage = (error: unknown) =>
  isApiError(error) && error.code === 'version_conflict'
    ? 'Someone else saved this product since you opened it. Reload the page and check it before deleting.'
    : errorDetail(error, 'The product could not be deleted.');

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
  return (
    <ConfirmDialog
      open={open}
      title="Delete product?"
      confirmLabel="Delete product"
      busyLabel="Deleting…"
      danger
      errorMessage={deleteErrorMessage}
      onClose={onClose}
      onConfirm={async () => {
        await api.delete(`/api/admin/products/${product.id}`, {
          headers: { 'if-match': `"${product.version}"` },
        });
        onDeleted();
      }}
    >
      <p>
        “{product.title}”, its {product.variants.length} variant{product.variants.length === 1 ? '' : 's'} and
        its media files will be deleted. This cannot be undone.
        {product.status === 'published' && ' It disappears from the shop at once.'}
      </p>
      {product.status !== 'archived' && (
        <p className="muted">To hide it but keep its history, archive it instead.</p>
      )}
    </ConfirmDialog>
  );
}
