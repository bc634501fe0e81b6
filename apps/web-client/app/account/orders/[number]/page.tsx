import type { Metadata } from 'next';
import { AccountOrder } from '@/components/account/AccountPages';

export async function generateMetadata({
  params,
}: {
  params: Promise<{ number: string }>;
}): Promise<Metadata> {
  const { number } = await params;
  return { title: `Order #${number}` };
}

export default async function AccountOrderPage({ params }: { params: Promise<{ number: string }> }) {
  const { number } = await params;
  return (
    <main id="main" className="container">
      <AccountOrder number={number} />
    </main>
  );
}
