import type { ReactNode } from 'react';
import { AdminShell } from '@/components/layout/AdminShell';
import { StaffSessionProvider } from '@/components/session/StaffSession';

/** Every page but sign-in: needs a staff session, inside the sidebar shell. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <StaffSessionProvider>
      <AdminShell>{children}</AdminShell>
    </StaffSessionProvider>
  );
}
