import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ProductList } from '@/components/products/ProductList';

export const metadata: Metadata = { title: 'Products' };

export default function ProductsPage() {
  // The list reads its filters from the URL, which needs a Suspense boundary to prerender.
  return (
    <Suspense fallback={<span className="spinner" role="status" aria-label="Loading products" />}>
      <ProductList />
    </Suspense>
  );
}
