import type { Metadata } from 'next';
import { TaxRates } from '@/components/settings/TaxRates';

export const metadata: Metadata = { title: 'Tax rates' };

export default function TaxRatesPage() {
  return <TaxRates />;
}
