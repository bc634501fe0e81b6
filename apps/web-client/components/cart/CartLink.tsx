'use client';

/** The header's cart button with the item count; opens the cart drawer (stub). */
export function CartLink() {
  return <a href="/cart">Cart</a>;
}
