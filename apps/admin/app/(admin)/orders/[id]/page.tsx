'use client';

import { useParams } from 'next/navigation';
import { OrderDetail } from '@/components/orders/OrderDetail';

export default function OrderPage() {
  const { id } = useParams<{ id: string }>();
  // Another order is another page: remount, so no dialog or state of the last one carries over.
  return <OrderDetail key={id} orderId={id} />;
}
