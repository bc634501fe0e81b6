'use client';

import { useCallback, useEffect, useState } from 'react';
import { api } from '@/lib/api';

export interface ApiData<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Fetches again (after a write), keeping what is shown until the answer comes. */
  reload(): void;
  /** Replaces what is shown with what a write answered, without a round trip. */
  setData(update: (current: T | null) => T | null): void;
}

/** GETs `path` (null: nothing yet) and keeps the answer; a newer path or reload cancels the older request. */
export function useApiData<T>(path: string | null): ApiData<T> {
  const [data, setDataState] = useState<T | null>(null);
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
        setDataState(answer);
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
  const setData = useCallback((update: (current: T | null) => T | null) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}
