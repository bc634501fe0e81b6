import type { Metadata } from 'next';
import { ShippingMethods } from '@/components/settings/ShippingMethods';

export const metadata: Metadata = { title: 'Shipping methods' };

export default function ShippingMethodsPage() {
  return <ShippingMethods />;
}
