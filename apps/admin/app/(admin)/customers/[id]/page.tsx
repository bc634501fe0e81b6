'use client';

import { useParams } from 'next/navigation';
import { CustomerDetail } from '@/components/customers/CustomerDetail';

export default function CustomerPage() {
  const { id } = useParams<{ id: string }>();
  // Another customer is another page: remount, so no dialog or state of the last one carries over.
  return <CustomerDetail key={id} customerId={id} />;
}
