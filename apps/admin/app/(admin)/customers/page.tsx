import type { Metadata } from 'next';
import { Suspense } from 'react';
import { CustomerList } from '@/components/customers/CustomerList';

export const metadata: Metadata = { title: 'Customers' };

export default function CustomersPage() {
  // The list reads its filters from the URL, which needs a Suspense boundary to prerender.
  return (
    <Suspense fallback={<span className="spinner" role="status" aria-label="Loading customers" />}>
      <CustomerList />
    </Suspense>
  );
}
