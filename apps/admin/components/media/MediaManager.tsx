'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useStaff } from '@/components/session/StaffSession';
import { Dialog } from '@/components/ui/Dialog';
import { useToasts } from '@/components/ui/Toasts';
import { isApiError } from '@/lib/api';
import { DropZone } from './DropZone';
import { MediaGrid, type MediaGridActions, mediaLabel } from './MediaGrid';
import styles from './media.module.css';
import { deleteMedia, isPending, listMedia, type Media, saveOrder, updateMedia } from './media-api';
import { UploadList } from './UploadList';
import { type UploadRow, useUploads } from './useUploads';

/** While media not followed by an upload row is still processing, the list is re-read this often. */
const LIST_POLL_MS = 2000;

/**
 * A product's images and 3D models: upload (drop or pick, several at once, followed live until
 * processed), order, alt text, the variant each belongs to, deletion; models open in the
 * inspector. Without media:write it is a read-only view.
 */
export function MediaManager({
  productId,
  variants,
  onChange,
}: {
  productId: string;
  variants: { id: string; title: string }[];
  onChange?: () => void;
}) {
  const { can } = useStaff();
  const { notify, fail } = useToasts();
  const canEdit = can('media:write');
  const [items, setItems] = useState<Media[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState<Media | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const orderTicket = useRef(0);
  const changed = useRef(onChange);
  changed.current = onChange;

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const list = await listMedia(productId, signal);
        setItems(list);
        setLoadError(null);
      } catch (error) {
        if (signal?.aborted) return;
        setLoadError(isApiError(error) ? error.detail : 'The media could not be loaded.');
      }
    },
    [productId],
  );

  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  const onSettled = useCallback(
    (row: UploadRow) => {
      void reload();
      if (row.phase === 'ready') changed.current?.();
    },
    [reload],
  );
  const uploads = useUploads(productId, { onSettled });

  // Media followed by an upload row shows there until it is ready; the rest shows in the grid.
  const tracked = useMemo(
    () =>
      new Set(
        uploads.rows
          .filter((row) => row.mode === 'new' && row.mediaId && row.phase !== 'ready')
          .map((row) => row.mediaId as string),
      ),
    [uploads.rows],
  );
  const replacing = useMemo(
    () =>
      new Set(
        uploads.rows
          .filter((row) => row.mode === 'replace' && row.phase !== 'ready' && row.phase !== 'failed')
          .map((row) => row.mediaId)
          .filter((id): id is string => id !== null),
      ),
    [uploads.rows],
  );
  const visible = useMemo(() => (items ?? []).filter((m) => !tracked.has(m.id)), [items, tracked]);

  // Media processing without an upload row here (another tab, a replacement, a reload mid-way).
  const untrackedPending = visible.some((m) => isPending(m));
  useEffect(() => {
    if (!untrackedPending) return;
    const controller = new AbortController();
    const timer = setInterval(() => void reload(controller.signal), LIST_POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [untrackedPending, reload]);

  const markBusy = (id: string, on: boolean) =>
    setBusyIds((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const replaceItem = (media: Media) =>
    setItems((list) => list?.map((m) => (m.id === media.id ? media : m)) ?? list);

  const actions: MediaGridActions = {
    async saveAlt(media, alt) {
      const updated = await updateMedia(media.id, { alt });
      replaceItem(updated);
      changed.current?.();
    },
    async setVariant(media, variantId) {
      markBusy(media.id, true);
      try {
        replaceItem(await updateMedia(media.id, { variantId }));
        notify(
          variantId
            ? `Now shown for ${variants.find((v) => v.id === variantId)?.title ?? 'the variant'}.`
            : 'Now shown for all variants.',
        );
        changed.current?.();
      } catch (error) {
        fail(error, 'The variant could not be saved.');
      } finally {
        markBusy(media.id, false);
      }
    },
    move(mediaId, to) {
      if (!items) return;
      const shown = visible.map((m) => m.id);
      const from = shown.indexOf(mediaId);
      if (from < 0) return;
      const target =
        'targetId' in to
          ? shown.indexOf(to.targetId)
          : Math.max(0, Math.min(shown.length - 1, from + to.step));
      if (target < 0 || target === from) return;
      // Reorder among the shown media, then fit the hidden ones (still uploading) back in place.
      const reordered = [...shown];
      reordered.splice(from, 1);
      reordered.splice(target, 0, mediaId);
      const queue = [...reordered];
      const order = items.map((m) => (tracked.has(m.id) ? m.id : (queue.shift() as string)));
      const previous = items;
      const byId = new Map(items.map((m) => [m.id, m]));
      const moved = byId.get(mediaId) as Media;
      setItems(order.map((id) => byId.get(id) as Media));
      setAnnouncement(`${mediaLabel(moved, from)} moved to position ${target + 1} of ${shown.length}.`);
      // Quick successive moves: only the answer to the latest one may overwrite the list.
      const ticket = ++orderTicket.current;
      markBusy(mediaId, true);
      saveOrder(productId, order)
        .then((list) => {
          if (ticket === orderTicket.current) setItems(list);
          changed.current?.();
        })
        .catch((error: unknown) => {
          if (ticket === orderTicket.current) setItems(previous);
          fail(error, 'The new order could not be saved.');
          // The API wants every media of the product: someone else may have added one.
          void reload();
        })
        .finally(() => markBusy(mediaId, false));
    },
    askDelete(media) {
      setConfirmDelete(media);
    },
    replace(media, file) {
      uploads.replace(media, file);
    },
  };

  const doDelete = async () => {
    if (!confirmDelete) return;
    setDeleting(true);
    try {
      await deleteMedia(confirmDelete.id);
      setItems((list) => list?.filter((m) => m.id !== confirmDelete.id) ?? list);
      notify(confirmDelete.kind === 'model' ? '3D model deleted.' : 'Image deleted.');
      setConfirmDelete(null);
      changed.current?.();
    } catch (error) {
      if (isApiError(error) && error.status === 404) {
        setConfirmDelete(null);
        void reload();
      } else fail(error, 'The media could not be deleted.');
    } finally {
      setDeleting(false);
    }
  };

  const removeUpload = async (id: string) => {
    try {
      await uploads.remove(id);
      void reload();
    } catch (error) {
      fail(error, 'The failed upload could not be removed.');
    }
  };

  const deleteIndex = confirmDelete ? visible.findIndex((m) => m.id === confirmDelete.id) : -1;

  return (
    <section className={`stack ${styles.manager}`} aria-labelledby="media-heading">
      <div className="row">
        <h2 id="media-heading" className={styles.heading}>
          Media
        </h2>
        {items && (
          <span className="muted">
            {items.length === 0
              ? ''
              : `${items.filter((m) => m.kind === 'image').length} images · ${items.filter((m) => m.kind === 'model').length} 3D models`}
          </span>
        )}
      </div>

      {canEdit && <DropZone onFiles={uploads.add} />}
      {canEdit && (
        <UploadList
          rows={uploads.rows}
          onCancel={uploads.cancel}
          onRemove={(id) => void removeUpload(id)}
          onClearFinished={uploads.clearFinished}
        />
      )}

      {loadError ? (
        <div className="notice danger" role="alert">
          <p>{loadError}</p>
          <button type="button" className="button small" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      ) : items === null ? (
        <p className="muted" aria-busy="true">
          <span className={`spinner ${styles.smallSpinner}`} aria-hidden="true" /> Loading media…
        </p>
      ) : visible.length === 0 ? (
        <p className={`muted ${styles.empty}`}>
          {canEdit
            ? 'No media yet. Add photos and a 3D model: the first image is the one shown in listings.'
            : 'This product has no media.'}
        </p>
      ) : (
        <>
          {canEdit && visible.length > 1 && (
            <p className="muted">
              Drag a thumbnail, or use the arrows, to change the order. The first one is the main image.
            </p>
          )}
          <MediaGrid
            items={visible}
            allItems={items}
            variants={variants}
            canEdit={canEdit}
            busyIds={new Set([...busyIds, ...replacing])}
            actions={actions}
          />
        </>
      )}

      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>

      <Dialog
        open={confirmDelete !== null}
        title={confirmDelete?.kind === 'model' ? 'Delete this 3D model?' : 'Delete this image?'}
        onClose={() => !deleting && setConfirmDelete(null)}
        footer={
          <>
            <button
              type="button"
              className="button"
              onClick={() => setConfirmDelete(null)}
              disabled={deleting}
            >
              Keep it
            </button>
            <button
              type="button"
              className="button danger solid"
              onClick={() => void doDelete()}
              disabled={deleting}
            >
              {deleting ? 'Deleting…' : 'Delete'}
            </button>
          </>
        }
      >
        {confirmDelete && (
          <p>
            {deleteIndex >= 0 ? mediaLabel(confirmDelete, deleteIndex) : 'It'}
            {confirmDelete.alt ? ` (“${confirmDelete.alt}”)` : ''} and its files are removed from the shop for
            good
            {confirmDelete.status === 'ready' ? ', and the storefront stops showing it' : ''}.
          </p>
        )}
      </Dialog>
    </section>
  );
}
