'use client';

import { createContext, lazy, type ReactNode, Suspense, useContext, useEffect, useState } from 'react';
import { loadCartWhenIdle, useCart } from './cart-store';

/** The drawer's code loads the first time it opens (or is about to), not with the page. */
const loadDrawer = () => import('./CartDrawer');
const CartDrawer = lazy(loadDrawer);

/** Starts fetching the drawer's code early, e.g. when the pointer nears an add-to-cart button. */
export function preloadCartDrawer() {
  void loadDrawer();
}

const Mounted = createContext(false);

/**
 * Holds the cart for every client component: loads it when the browser is idle, renders the
 * cart drawer and announces cart changes to screen readers. Nested providers are no-ops.
 */
export function CartProvider({ children }: { children: ReactNode }) {
  if (useContext(Mounted)) return <>{children}</>;
  return (
    <Mounted.Provider value={true}>
      {children}
      <CartChrome />
    </Mounted.Provider>
  );
}

function CartChrome() {
  const { drawerOpen, announcement } = useCart();
  const [drawerWanted, setDrawerWanted] = useState(false);
  useEffect(() => {
    loadCartWhenIdle();
  }, []);
  useEffect(() => {
    if (drawerOpen) setDrawerWanted(true);
  }, [drawerOpen]);
  return (
    <>
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>
      {drawerWanted ? (
        <Suspense fallback={null}>
          <CartDrawer />
        </Suspense>
      ) : null}
    </>
  );
}
