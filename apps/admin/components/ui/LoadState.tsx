'use client';

import { isApiError } from '@/lib/api';

/** What a section shows while its data loads or when the API refused it, with a way to retry. */
export function LoadState({
  loading,
  error,
  onRetry,
  what,
}: {
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  what: string;
}) {
  if (error) {
    return (
      <div className="notice danger row" role="alert">
        <span>
          {what} could not be loaded: {isApiError(error) ? error.detail : 'the API did not answer.'}
        </span>
        <span className="spacer" />
        <button type="button" className="button small" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (loading) {
    return (
      <div className="row muted" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Loading {what.toLowerCase()}…
      </div>
    );
  }
  return null;
}
