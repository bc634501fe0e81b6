import { OrderPage } from '@/components/checkout/OrderPage';

/** The order confirmation: the guest's signed link (`?token=`), or the signed-in owner's. */
export default async function Order({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { id } = await params;
  const { token } = await searchParams;
  return (
    <main id="main" className="container">
      <OrderPage orderId={id} {...(typeof token === 'string' ? { token } : {})} />
    </main>
  );
}
