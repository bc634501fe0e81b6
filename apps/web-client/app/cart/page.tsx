import { CartPage } from '@/components/cart/CartPage';

export default function Cart() {
  return (
    <main id="main" className="container">
      <CartPage />
    </main>
  );
}
