import { CheckoutPage } from '@/components/checkout/CheckoutPage';
import { SHOP_NAME } from '@/lib/site';

export default function Checkout() {
  return (
    <main id="main" className="container">
      <CheckoutPage shopName={SHOP_NAME} />
    </main>
  );
}
