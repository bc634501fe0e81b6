'use client';

import { useParams } from 'next/navigation';
import { ProductEditor } from '@/components/products/ProductEditor';

export default function ProductPage() {
  const { id } = useParams<{ id: string }>();
  // A new id is a different product: remount, so no draft of the last one carries over.
  return <ProductEditor key={id} productId={id} />;
}
