'use client';

/** Adds one variant to the cart and opens the drawer; shows why it cannot when it cannot (stub). */
export function AddToCartButton({ variantId, available }: { variantId: string; available: boolean }) {
  return (
    <button type="button" disabled={!available} data-variant-id={variantId}>
      {available ? 'Add to cart' : 'Sold out'}
    </button>
  );
}
