'use client';

import { isApiError } from '@/lib/api';
import type { ApiData } from '@/lib/use-api-data';

/** What a section shows while its data loads or when the API refused it, with a way to retry. */
export function LoadState({
  resource: { loading, error, reload },
  what,
}: {
  /** A `useApiData` / `useCursorList` result. */
  resource: Pick<ApiData<unknown>, 'loading' | 'error' | 'reload'>;
  what: string;
}) {
  if (error) {
    return (
      <div className="notice danger row" role="alert">
        <span>
          {what} could not be loaded: {isApiError(error) ? error.detail : 'the API did not answer.'}
        </span>
        <span className="spacer" />
        <button type="button" className="button small" onClick={reload}>
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
