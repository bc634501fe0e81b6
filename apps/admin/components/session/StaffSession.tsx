'use client';

import type { StaffProfile } from '@e3d/contracts';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { api, forgetSession, hasSession, isApiError, onSessionChange } from '@/lib/api';

export type Permission =
  | 'catalog:read'
  | 'catalog:write'
  | 'media:write'
  | 'orders:read'
  | 'orders:write'
  | 'customers:read'
  | 'customers:write'
  | 'staff:read'
  | 'staff:write'
  | 'audit:read'
  | 'settings:write';

interface StaffSessionValue {
  staff: StaffProfile;
  /** Whether the signed-in role may do this; the API checks again on every request. */
  can(permission: Permission): boolean;
  signOut(): Promise<void>;
}

const StaffSessionContext = createContext<StaffSessionValue | null>(null);

export function useStaff(): StaffSessionValue {
  const value = useContext(StaffSessionContext);
  if (!value) throw new Error('useStaff outside <StaffSessionProvider>');
  return value;
}

/** Shows `children` only when the signed-in role has `permission` (the API refuses it anyway). */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useStaff().can(permission) ? children : null;
}

/**
 * Loads the signed-in staff member (`/api/admin/me`) before the admin renders; no session, or
 * one the API refuses, goes to the sign-in page and comes back afterwards.
 */
export function StaffSessionProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [staff, setStaff] = useState<StaffProfile | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const toSignIn = useCallback(() => {
    router.replace(`/login?next=${encodeURIComponent(pathname)}`);
  }, [router, pathname]);

  useEffect(() => {
    let live = true;
    const load = async () => {
      if (!hasSession()) return toSignIn();
      try {
        const profile = await api.get<StaffProfile>('/api/admin/me');
        if (live) setStaff(profile);
      } catch (error) {
        if (!live) return;
        if (isApiError(error) && (error.status === 401 || error.status === 403)) {
          forgetSession();
          toSignIn();
        } else {
          setFailure(isApiError(error) ? error.detail : 'The admin could not load.');
        }
      }
    };
    void load();
    const off = onSessionChange(() => {
      if (!hasSession()) toSignIn();
    });
    return () => {
      live = false;
      off();
    };
  }, [toSignIn]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/admin/auth/logout', {});
    } finally {
      forgetSession();
      router.replace('/login');
    }
  }, [router]);

  if (failure) {
    return (
      <div className="center-page" role="alert">
        <p>{failure}</p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Try again
        </button>
      </div>
    );
  }
  if (!staff) {
    return (
      <div className="center-page" aria-busy="true">
        <span className="spinner" role="status" aria-label="Loading" />
      </div>
    );
  }
  const value: StaffSessionValue = {
    staff,
    can: (permission) => staff.permissions.includes(permission),
    signOut,
  };
  return <StaffSessionContext.Provider value={value}>{children}</StaffSessionContext.Provider>;
}
