'use client';

import { useState } from 'react';

export interface KeysetPages {
  /** The page shown ('' for the first). */
  cursor: string;
  /** The page before it, when this tab came here by "Next" (undefined: only the first page is known). */
  previous: string | undefined;
  /** Shows the page at `cursor` ('' for the first). */
  go(cursor: string): void;
  /** Shows the page after this one, remembering the way back. */
  next(nextCursor: string): void;
}

/**
 * Previous/next over keyset pages whose cursor lives in the URL. Keyset pages only know the way
 * forward, so each page's predecessor is remembered, keyed by cursor (so the browser's back button
 * and this map never disagree).
 */
export function useKeysetPages(cursor: string, go: (cursor: string) => void): KeysetPages {
  const [previousOf, setPreviousOf] = useState<Record<string, string>>({});
  return {
    cursor,
    previous: cursor ? previousOf[cursor] : undefined,
    go,
    next(nextCursor) {
      setPreviousOf((map) => ({ ...map, [nextCursor]: cursor }));
      go(nextCursor);
    },
  };
}
