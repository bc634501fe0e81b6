import type { Metadata } from 'next';
import { ResetPassword } from '@/components/account/ResetPassword';

export const metadata: Metadata = { title: 'Choose a new password' };

/** Same as /account/reset-password?token=… (the link the API's email uses); kept for older links. */
export default async function ResetPasswordConfirmPage({
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
