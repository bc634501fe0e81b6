'use client';

import { useCallback, useEffect, useState } from 'react';
import { api, isApiError } from '@/lib/api';

export interface ApiResource<T> {
  data: T | null;
  /** The API's `detail` (or a generic line) when the last load failed. */
  error: string | null;
  /** The HTTP status of the last failure (404 → "not found" pages), 0 for network errors. */
  errorStatus: number | null;
  loading: boolean;
  reload(): void;
  /** Replace the data with a fresh copy the API returned from an action (no extra request). */
  setData(data: T): void;
}

/**
 * GETs `path` (null = do not load) and reloads when it changes. The last data stays on screen
 * while the next load runs, so filters and pages do not flash empty; a load that a newer one
 * replaced is aborted and never overwrites it.
 */
export function useApiGet<T>(
  path: string | null,
  fallbackError = 'This could not be loaded.',
): ApiResource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [errorStatus, setErrorStatus] = useState<number | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the reload trigger
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setErrorStatus(null);
    api
      .get<T>(path, { signal: controller.signal })
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(isApiError(caught) ? caught.detail : fallbackError);
        setErrorStatus(isApiError(caught) ? caught.status : 0);
        setLoading(false);
      });
    return () => controller.abort();
  }, [path, attempt, fallbackError]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, errorStatus, loading, reload, setData };
}
