import type { Metadata } from 'next';
import { ResetPassword } from '@/components/account/ResetPassword';

export const metadata: Metadata = { title: 'Reset your password' };

/** The API's reset email links here with `?token=…`; without one, the form that sends the email. */
export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  return (
    <main id="main" className="container">
      <ResetPassword token={typeof token === 'string' && token ? token : undefined} />
    </main>
  );
}
