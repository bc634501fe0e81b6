import type { Metadata } from 'next';
import { Promotions } from '@/components/settings/Promotions';

export const metadata: Metadata = { title: 'Promotions' };

export default function PromotionsPage() {
  return <Promotions />;
}
