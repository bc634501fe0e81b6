'use client';

import { useCallback, useRef, useState } from 'react';
import { api } from '@/lib/api';
import { type ApiData, useApiData } from '@/lib/use-api-data';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorList<T> extends Omit<ApiData<CursorPage<T>>, 'setData'> {
  /** Everything loaded so far (null until the first page arrives). */
  items: T[] | null;
  nextCursor: string | null;
  loadingMore: boolean;
  /** Appends the next page; rejects with the API's error so the caller can say so its own way. */
  loadMore(): Promise<void>;
  /** Edits the loaded items in place (a row a write changed or removed). */
  setItems(update: (items: T[]) => T[]): void;
}

/** `path` with `cursor` added to its query string. */
function withCursor(path: string, cursor: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}

/**
 * A keyset-paged list shown as one growing table ("Load more"): `path` is the first page's GET
 * (null: do not load); a new path starts over from its first page.
 */
export function useCursorList<T extends { id: string | number }>(
  path: string | null,
  fallbackError?: string,
): CursorList<T> {
  const { setData, ...first } = useApiData<CursorPage<T>>(path, fallbackError);
  const [loadingMore, setLoadingMore] = useState(false);
  // A page that arrives after the filters changed belongs to the old list: drop it.
  const currentPath = useRef(path);
  currentPath.current = path;

  const nextCursor = first.data?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (!path || !nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<CursorPage<T>>(withCursor(path, nextCursor));
      if (currentPath.current !== path) return;
      // Rows can move between pages while someone edits them: show each once.
      setData((current) =>
        current
          ? {
              items: [
                ...current.items,
                ...page.items.filter((p) => !current.items.some((c) => c.id === p.id)),
              ],
              nextCursor: page.nextCursor,
            }
          : current,
      );
    } finally {
      setLoadingMore(false);
    }
  }, [path, nextCursor, setData]);

  const setItems = useCallback(
    (update: (items: T[]) => T[]) =>
      setData((current) => (current ? { ...current, items: update(current.items) } : current)),
    [setData],
  );

  return { ...first, items: first.data?.items ?? null, nextCursor, loadingMore, loadMore, setItems };
}
