import type { Metadata } from 'next';
import { Suspense } from 'react';
import { OrderList } from '@/components/orders/OrderList';

export const metadata: Metadata = { title: 'Orders' };

export default function OrdersPage() {
  // The list reads its filters from the URL, which needs a Suspense boundary to prerender.
  return (
    <Suspense fallback={<span className="spinner" role="status" aria-label="Loading orders" />}>
      <OrderList />
    </Suspense>
  );
}
