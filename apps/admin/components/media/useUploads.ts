'use client';

import { UPLOAD_MAX_BYTES } from '@e3d/contracts/limits';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isApiError } from '@/lib/api';
import { checkFile, type PlainFailure, plainError, plainReason } from './failure-messages';
import {
  confirmUpload,
  deleteMedia,
  fileType,
  getMedia,
  grantUpload,
  isPending,
  type Media,
  type MediaKind,
  replaceUpload,
  sendDirectUpload,
  sleep,
} from './media-api';

export type UploadPhase = 'starting' | 'uploading' | 'confirming' | 'processing' | 'ready' | 'failed';

export interface UploadRow {
  id: string;
  name: string;
  byteSize: number;
  kind: MediaKind | null;
  /** A new media, or a new file for an existing one. */
  mode: 'new' | 'replace';
  phase: UploadPhase;
  /** Whole percent of the file sent. */
  progress: number;
  /** Set once the API holds a media row for this upload (it must then be deleted, not just hidden). */
  mediaId: string | null;
  media: Media | null;
  failure: PlainFailure | null;
  removing: boolean;
}

const POLL_MS = 1000;
/** A transient error while following processing is retried this many times in a row. */
const POLL_RETRIES = 10;

let nextRowId = 1;

/**
 * The upload queue of one product: each file is checked, granted, sent straight to storage,
 * confirmed, and its processing followed until ready or failed. Every timer and request stops
 * when the component using it unmounts.
 */
export function useUploads(productId: string, { onSettled }: { onSettled: (row: UploadRow) => void }) {
  const [rows, setRows] = useState<UploadRow[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const settled = useRef(onSettled);
  settled.current = onSettled;

  useEffect(() => {
    const live = controllers.current;
    return () => {
      for (const controller of live.values()) controller.abort();
      live.clear();
    };
  }, []);

  const patch = useCallback((id: string, change: Partial<UploadRow>) => {
    setRows((list) => list.map((row) => (row.id === id ? { ...row, ...change } : row)));
  }, []);

  const run = useCallback(
    async (row: UploadRow, file: File, replaceId: string | null) => {
      const controller = new AbortController();
      controllers.current.set(row.id, controller);
      const { signal } = controller;
      const type = fileType(file.name);
      let last: UploadRow = row;
      const update = (change: Partial<UploadRow>) => {
        last = { ...last, ...change };
        patch(row.id, change);
      };
      try {
        if (!type) throw new Error('unreachable: checked before');
        const grant = await grantUpload(productId, {
          kind: replaceId ? (row.kind ?? type.kind) : type.kind,
          filename: file.name,
          contentType: type.contentType,
          byteSize: file.size,
        });
        if (signal.aborted) return;
        update({ phase: 'uploading' });
        let shown = 0;
        await sendDirectUpload(
          grant,
          file,
          type.contentType,
          (fraction) => {
            const percent = Math.floor(fraction * 100);
            if (percent !== shown) {
              shown = percent;
              patch(row.id, { progress: percent });
            }
          },
          signal,
        );
        update({ phase: 'confirming', progress: 100 });
        const media = replaceId
          ? await replaceUpload(replaceId, grant.uploadKey)
          : await confirmUpload(productId, { kind: type.kind, uploadKey: grant.uploadKey, alt: '' });
        update({ mediaId: media.id, media, phase: 'processing' });

        let current = media;
        let errorsInARow = 0;
        while (isPending(current)) {
          await sleep(POLL_MS, signal);
          try {
            current = await getMedia(media.id, signal);
            errorsInARow = 0;
            update({ media: current });
          } catch (error) {
            if (signal.aborted) return;
            if (isApiError(error) && error.status === 404) throw error;
            if (++errorsInARow > POLL_RETRIES) throw error;
          }
        }
        if (current.status === 'ready') update({ phase: 'ready' });
        else
          update({ phase: 'failed', failure: plainReason(current.failure?.code, current.failure?.message) });
        settled.current(last);
      } catch (error) {
        if (signal.aborted) return;
        const gone = isApiError(error) && error.code === 'media_not_found';
        update({ phase: 'failed', failure: plainError(error), ...(gone ? { mediaId: null } : {}) });
        settled.current(last);
      } finally {
        controllers.current.delete(row.id);
      }
    },
    [productId, patch],
  );

  /** Queues new media; files the browser can already tell are unusable fail at once, unsent. */
  const add = useCallback(
    (files: File[]) => {
      const created: [UploadRow, File][] = files.map((file) => {
        const type = fileType(file.name);
        const failure = checkFile(file, type, UPLOAD_MAX_BYTES);
        return [
          {
            id: `upload-${nextRowId++}`,
            name: file.name,
            byteSize: file.size,
            kind: type?.kind ?? null,
            mode: 'new',
            phase: failure ? 'failed' : 'starting',
            progress: 0,
            mediaId: null,
            media: null,
            failure,
            removing: false,
          },
          file,
        ];
      });
      setRows((list) => [...list, ...created.map(([row]) => row)]);
      for (const [row, file] of created) if (!row.failure) void run(row, file, null);
    },
    [run],
  );

  /** A new file for an existing media of the same kind. */
  const replace = useCallback(
    (media: Media, file: File) => {
      const type = fileType(file.name);
      const failure =
        checkFile(file, type, UPLOAD_MAX_BYTES) ??
        (type && type.kind !== media.kind
          ? {
              reason:
                media.kind === 'image'
                  ? 'An image can only be replaced by another image (JPEG, PNG, WebP or AVIF).'
                  : 'A 3D model can only be replaced by another model (GLB, glTF or ZIP).',
            }
          : null);
      const row: UploadRow = {
        id: `upload-${nextRowId++}`,
        name: file.name,
        byteSize: file.size,
        kind: media.kind,
        mode: 'replace',
        phase: failure ? 'failed' : 'starting',
        progress: 0,
        // The media exists already; a failed replacement leaves it failed, deletable from the grid.
        mediaId: media.id,
        media: null,
        failure,
        removing: false,
      };
      setRows((list) => [...list, row]);
      if (!failure) void run(row, file, media.id);
    },
    [run],
  );

  /** Stops an upload still on its way (nothing exists on the API's side yet). */
  const cancel = useCallback((id: string) => {
    controllers.current.get(id)?.abort();
    controllers.current.delete(id);
    setRows((list) => list.filter((row) => row.id !== id));
  }, []);

  /** Hides a row; a failed media the API kept is deleted first, so nothing is left behind. */
  const remove = useCallback(
    async (id: string): Promise<void> => {
      const row = rows.find((r) => r.id === id);
      if (!row) return;
      if (row.mediaId && row.phase === 'failed' && row.mode === 'new') {
        patch(id, { removing: true });
        try {
          await deleteMedia(row.mediaId);
        } catch (error) {
          if (!(isApiError(error) && error.status === 404)) {
            patch(id, { removing: false });
            throw error;
          }
        }
      }
      setRows((list) => list.filter((r) => r.id !== id));
    },
    [rows, patch],
  );

  const clearFinished = useCallback(() => {
    // Failed new media stay until removed: the API keeps them (with the reason) until deleted.
    setRows((list) =>
      list.filter(
        (row) => row.phase !== 'ready' && !(row.phase === 'failed' && !(row.mode === 'new' && row.mediaId)),
      ),
    );
  }, []);

  const busy = rows.some(
    (row) => row.phase === 'starting' || row.phase === 'uploading' || row.phase === 'confirming',
  );

  // Leaving the page would drop files still being sent.
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);

  return { rows, add, replace, cancel, remove, clearFinished, busy };
}
