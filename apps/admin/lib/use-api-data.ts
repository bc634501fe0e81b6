'use client';

import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from 'react';
import { api, isApiError } from '@/lib/api';

export interface ApiData<T> {
  data: T | null;
  /** What the last load threw (an `ApiError`, or a network failure), for `fieldErrors` and `LoadState`. */
  error: unknown;
  /** The API's `detail` for that failure, or the caller's fallback line when the API did not answer. */
  errorMessage: string | null;
  /** The HTTP status of that failure (404 → "not found" pages), 0 when the API did not answer. */
  errorStatus: number | null;
  loading: boolean;
  /** Fetches again (after a write), keeping what is shown until the answer comes. */
  reload(): void;
  /** Replaces what is shown with what a write answered, without a round trip. */
  setData: Dispatch<SetStateAction<T | null>>;
}

/**
 * GETs `path` (null: do not load) and reloads when it changes. The last data stays on screen
 * while the next load runs, so filters and pages do not flash empty; a load that a newer one
 * (or unmounting) replaced is aborted and never overwrites it.
 */
export function useApiData<T>(path: string | null, fallbackError = 'This could not be loaded.'): ApiData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(path !== null);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api
      .get<T>(path, { signal: controller.signal })
      .then((answer) => {
        if (controller.signal.aborted) return;
        setData(answer);
        setLoading(false);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(caught);
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const failed = error !== null && error !== undefined;
  return {
    data,
    error,
    errorMessage: failed ? errorDetail(error, fallbackError) : null,
    errorStatus: failed ? (isApiError(error) ? error.status : 0) : null,
    loading,
    reload,
    setData,
  };
}

/** The API's own words for a failure, or `fallback` when it did not answer. */
export function errorDetail(error: unknown, fallback: string): string {
  return isApiError(error) ? error.detail : fallback;
}
