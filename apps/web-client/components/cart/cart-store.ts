'use client';

import type { CartView } from '@e3d/contracts';
import { useSyncExternalStore } from 'react';
import { api, onSessionChange } from '@/lib/client-api';

export type { CartView };
export type CartLine = CartView['lines'][number];

export interface CartState {
  cart: CartView | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Writes in flight (quantity changes, promotion codes…). */
  busy: number;
  drawerOpen: boolean;
  /** The last change in words, for the live region. */
  announcement: string;
  /** The variant just added (the drawer confirms it), until the drawer closes. */
  lastAdded: string | null;
}

let state: CartState = {
  cart: null,
  status: 'idle',
  busy: 0,
  drawerOpen: false,
  announcement: '',
  lastAdded: null,
};
const listeners = new Set<() => void>();
let started = false;
/** Bumped by every write: a read that started before it must not overwrite its answer. */
let generation = 0;
let queue: Promise<unknown> = Promise.resolve();
let channel: BroadcastChannel | null = null;
let loadedAt = 0;

function set(patch: Partial<CartState>) {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

function start() {
  if (started || typeof window === 'undefined') return;
  started = true;
  onSessionChange(() => void loadCart());
  if ('BroadcastChannel' in window) {
    channel = new BroadcastChannel('e3d-cart');
    channel.onmessage = () => void loadCart();
  }
  document.addEventListener('visibilitychange', () => {
    if (
      document.visibilityState === 'visible' &&
      state.status === 'ready' &&
      Date.now() - loadedAt > 60_000
    ) {
      void loadCart();
    }
  });
}

function subscribe(listener: () => void) {
  start();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const serverState: CartState = state;

export function useCart(): CartState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => serverState,
  );
}

export function getCartState(): CartState {
  return state;
}

/** GET /api/cart: the cart priced now (stock, promotion and totals may have changed). */
export async function loadCart(): Promise<CartView | null> {
  start();
  const seen = generation;
  if (state.status !== 'ready') set({ status: 'loading' });
  try {
    const cart = await api.get<CartView>('/api/cart');
    if (seen === generation) {
      loadedAt = Date.now();
      set({ cart, status: 'ready' });
    }
    return cart;
  } catch {
    if (seen === generation && !state.cart) set({ status: 'error' });
    return state.cart;
  }
}

/** Loads the cart once, when the browser is idle: never in the way of the page's first paint. */
export function loadCartWhenIdle() {
  if (state.status !== 'idle') return;
  set({ status: 'loading' });
  const run = () => void loadCart();
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}

/**
 * One cart write at a time, in order; each answers with the whole repriced cart. Throws the
 * ApiError (the cart is left as it was, and re-read when the error says it changed).
 */
function write(request: () => Promise<CartView>, announce?: (cart: CartView) => string): Promise<CartView> {
  start();
  generation += 1;
  set({ busy: state.busy + 1 });
  const run = queue.then(request);
  queue = run.catch(() => undefined);
  return run.then(
    (cart) => {
      loadedAt = Date.now();
      set({
        cart,
        status: 'ready',
        busy: state.busy - 1,
        ...(announce ? { announcement: announce(cart) } : {}),
      });
      channel?.postMessage('changed');
      return cart;
    },
    (error: unknown) => {
      set({ busy: state.busy - 1 });
      throw error;
    },
  );
}

const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`;
const lineTitle = (cart: CartView, variantId: string) => {
  const line = cart.lines.find((l) => l.variantId === variantId);
  return line ? line.productTitle : 'The item';
};

export async function addToCart(variantId: string, quantity = 1) {
  const cart = await write(
    () => api.post<CartView>('/api/cart/lines', { variantId, quantity }),
    (cart) => `Added ${lineTitle(cart, variantId)} to your cart. Your cart has ${items(cart.itemCount)}.`,
  );
  set({ lastAdded: variantId });
  return cart;
}

export function setLineQuantity(variantId: string, quantity: number) {
  return write(
    () => api.patch<CartView>(`/api/cart/lines/${encodeURIComponent(variantId)}`, { quantity }),
    (cart) => `${lineTitle(cart, variantId)}: quantity ${quantity}. Your cart has ${items(cart.itemCount)}.`,
  );
}

export function removeLine(variantId: string, title: string) {
  return write(
    () => api.delete<CartView>(`/api/cart/lines/${encodeURIComponent(variantId)}`),
    (cart) => `Removed ${title}. Your cart has ${items(cart.itemCount)}.`,
  );
}

/** The promotion form says what happened itself (its own status line). */
export function applyPromotion(code: string) {
  return write(() => api.put<CartView>('/api/cart/promotion', { code }));
}

export function removePromotion() {
  return write(() => api.delete<CartView>('/api/cart/promotion'));
}

export interface CartDetailsInput {
  email?: string | null;
  shippingAddress?: Record<string, unknown> | null;
  shippingMethodId?: string | null;
}

export function updateCartDetails(details: CartDetailsInput) {
  return write(() => api.patch<CartView>('/api/cart', details));
}

/** After checkout, or anything else that changed the cart on the server: this tab and the others. */
export async function refreshCartEverywhere() {
  generation += 1;
  await loadCart();
  channel?.postMessage('changed');
}

export function openCartDrawer() {
  set({ drawerOpen: true });
}

export function closeCartDrawer() {
  set({ drawerOpen: false, lastAdded: null });
}

export function announce(message: string) {
  set({ announcement: message });
}
