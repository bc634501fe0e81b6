import type { Metadata } from 'next';
import { Suspense } from 'react';
import { SignInForm } from '@/components/session/SignInForm';

export const metadata: Metadata = { title: 'Sign in' };

export default function SignInPage() {
  return (
    <div className="center-page">
      <Suspense>
        <SignInForm />
      </Suspense>
    </div>
  );
}
