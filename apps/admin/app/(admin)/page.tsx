import type { Metadata } from 'next';
import { Suspense } from 'react';
import { Dashboard } from '@/components/dashboard/Dashboard';

export const metadata: Metadata = { title: 'Dashboard' };

export default function DashboardPage() {
  // The period lives in the URL (?days=), which needs a Suspense boundary to prerender.
  return (
    <Suspense fallback={<span className="spinner" role="status" aria-label="Loading the dashboard" />}>
      <Dashboard />
    </Suspense>
  );
}
