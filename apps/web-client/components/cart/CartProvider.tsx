'use client';

import type { ReactNode } from 'react';

/** Holds the cart for every client component (owned by the cart work; stub). */
export function CartProvider({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
