'use client';

import Link from 'next/link';
import { useEffect } from 'react';

/** A page failed to render (usually: the API did not answer). The header and footer stay. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
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
          <button type="button" className="button" onClick={reset}>
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
