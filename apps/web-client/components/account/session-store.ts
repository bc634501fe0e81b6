'use client';

import type { CustomerProfile, TokenResponse } from '@e3d/contracts';
import { useEffect, useSyncExternalStore } from 'react';
import { api, forgetSession, hasSession, isApiError, noteSession, onSessionChange } from '@/lib/client-api';

export type SessionState =
  | { status: 'unknown' }
  | { status: 'guest' }
  | { status: 'signed-in'; customer: CustomerProfile };

let state: SessionState = { status: 'unknown' };
let loading: Promise<void> | null = null;
let subscribed = false;
const listeners = new Set<() => void>();

function set(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

/** Who is signed in: GET /api/me, skipped when the browser holds no session cookie at all. */
export function loadSession(): Promise<void> {
  if (loading) return loading;
  loading = (async () => {
    if (!hasSession()) return set({ status: 'guest' });
    try {
      const customer = await api.get<CustomerProfile>('/api/me');
      set({ status: 'signed-in', customer });
    } catch (error) {
      if (isApiError(error) && (error.status === 401 || error.status === 403)) set({ status: 'guest' });
      else if (state.status === 'unknown') set({ status: 'guest' });
    }
  })().finally(() => {
    loading = null;
  });
  return loading;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!subscribed && typeof window !== 'undefined') {
    subscribed = true;
    onSessionChange(() => void loadSession());
  }
  return () => listeners.delete(listener);
}

const serverSnapshot: SessionState = { status: 'unknown' };

/** The signed-in customer, loaded on first use. */
export function useSession(): SessionState {
  const snapshot = useSyncExternalStore(
    subscribe,
    () => state,
    () => serverSnapshot,
  );
  useEffect(() => {
    if (state.status === 'unknown') void loadSession();
  }, []);
  return snapshot;
}

export async function signIn(email: string, password: string): Promise<void> {
  const tokens = await api.post<TokenResponse>('/api/auth/login', { email, password, mode: 'cookie' });
  noteSession(tokens.expiresIn);
  await loadSession();
}

export async function register(input: { name: string; email: string; password: string }): Promise<void> {
  const tokens = await api.post<TokenResponse>('/api/auth/register', { ...input, mode: 'cookie' });
  noteSession(tokens.expiresIn);
  await loadSession();
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/api/auth/logout', {});
  } finally {
    forgetSession();
    set({ status: 'guest' });
  }
}

/** After a profile change. */
export function setCustomer(customer: CustomerProfile) {
  set({ status: 'signed-in', customer });
}
