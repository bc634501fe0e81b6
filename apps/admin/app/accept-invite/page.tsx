import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AcceptInviteForm } from '@/components/staff/AcceptInviteForm';

// The token is in the URL: keep it out of the Referer of anything this page loads or links to.
export const metadata: Metadata = { title: 'Accept invitation', referrer: 'no-referrer' };

/** Public: reached from the invitation email, before the member has a password or a session. */
export default function AcceptInvitePage() {
  return (
    <div className="center-page">
      <Suspense>
        <AcceptInviteForm />
      </Suspense>
    </div>
  );
}
