'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { startTransition, useEffect } from 'react';

/** A page failed to render (usually: the API did not answer). The header and footer stay. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const router = useRouter();
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main id="main" className="container">
      <div className="message">
        <p className="eyebrow">Something went wrong</p>
        <h1>This page didn’t load</h1>
        <p className="lede">
          We couldn’t reach the shop just now. Please try again in a moment — your cart is safe.
        </p>
        {error.digest && <p className="message-ref">Reference: {error.digest}</p>}
        <div className="message-actions">
          <button
            type="button"
            className="button"
            // Render the page again on the server (the API may be back), then clear the error.
            onClick={() =>
              startTransition(() => {
                router.refresh();
                reset();
              })
            }
          >
            Try again
          </button>
          <Link href="/" className="button button-secondary">
            Go to the home page
          </Link>
        </div>
      </div>
    </main>
  );
}
