'use client';

import Link from 'next/link';
import { type DragEvent, useRef, useState } from 'react';
import { StatusBadge } from '@/components/ui/StatusBadge';
import { formatBytes, formatNumber } from '@/lib/format';
import { AltTextField } from './AltTextField';
import { plainReason } from './failure-messages';
import styles from './media.module.css';
import { acceptFor, type Media, thumbnailOf } from './media-api';

/** The drag type of a media being reordered (files from the desktop carry 'Files' instead). */
const DRAG_TYPE = 'application/x-e3d-media';

export interface MediaGridActions {
  saveAlt: (media: Media, alt: string) => Promise<void>;
  setVariant: (media: Media, variantId: string | null) => Promise<void>;
  /** Moves `mediaId` to where `targetId` is (or one step left/right). */
  move: (mediaId: string, to: { targetId: string } | { step: -1 | 1 }) => void;
  askDelete: (media: Media) => void;
  replace: (media: Media, file: File) => void;
}

export const mediaLabel = (media: Media, index: number) =>
  `${media.kind === 'model' ? '3D model' : 'Image'} ${index + 1}`;

/** The product's media in display order: thumbnails and model cards, arranged by drag or buttons. */
export function MediaGrid({
  items,
  allItems,
  variants,
  canEdit,
  busyIds,
  actions,
}: {
  items: Media[];
  /** Every media of the product (posters are found among them). */
  allItems: Media[];
  variants: { id: string; title: string }[];
  canEdit: boolean;
  busyIds: ReadonlySet<string>;
  actions: MediaGridActions;
}) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);

  const isReorder = (event: DragEvent) => event.dataTransfer.types.includes(DRAG_TYPE);

  return (
    <ul className={styles.grid} aria-label="Product media">
      {items.map((media, index) => (
        <li
          key={media.id}
          data-testid="media-item"
          data-media-id={media.id}
          data-status={media.status}
          className={`${styles.item} ${dragging === media.id ? styles.itemDragging : ''} ${
            dropTarget === media.id && dragging !== media.id ? styles.itemDropTarget : ''
          }`}
          aria-busy={busyIds.has(media.id) || undefined}
          onDragOver={(event) => {
            if (!canEdit || !isReorder(event)) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'move';
            if (dropTarget !== media.id) setDropTarget(media.id);
          }}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropTarget(null);
          }}
          onDrop={(event) => {
            if (!canEdit || !isReorder(event)) return;
            event.preventDefault();
            const id = event.dataTransfer.getData(DRAG_TYPE);
            setDropTarget(null);
            setDragging(null);
            if (id && id !== media.id) actions.move(id, { targetId: media.id });
          }}
        >
          <MediaCard
            media={media}
            index={index}
            count={items.length}
            allItems={allItems}
            variants={variants}
            canEdit={canEdit}
            busy={busyIds.has(media.id)}
            actions={actions}
            onDragStart={(event) => {
              event.dataTransfer.setData(DRAG_TYPE, media.id);
              event.dataTransfer.effectAllowed = 'move';
              setDragging(media.id);
            }}
            onDragEnd={() => {
              setDragging(null);
              setDropTarget(null);
            }}
          />
        </li>
      ))}
    </ul>
  );
}

function MediaCard({
  media,
  index,
  count,
  allItems,
  variants,
  canEdit,
  busy,
  actions,
  onDragStart,
  onDragEnd,
}: {
  media: Media;
  index: number;
  count: number;
  allItems: Media[];
  variants: { id: string; title: string }[];
  canEdit: boolean;
  busy: boolean;
  actions: MediaGridActions;
  onDragStart: (event: DragEvent) => void;
  onDragEnd: () => void;
}) {
  const replaceInput = useRef<HTMLInputElement>(null);
  const label = mediaLabel(media, index);
  const isPoster = media.kind === 'image' && allItems.some((m) => m.posterMediaId === media.id);
  const variantTitle = variants.find((v) => v.id === media.variantId)?.title;
  const failure = media.status === 'failed' ? plainReason(media.failure?.code, media.failure?.message) : null;

  return (
    <article className={styles.card} aria-label={label}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dragging is the pointer shortcut; keyboard users have the Move buttons */}
      <div
        className={styles.preview}
        draggable={canEdit}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        title={canEdit ? 'Drag to reorder' : undefined}
      >
        {media.kind === 'image' ? (
          <ImagePreview media={media} />
        ) : (
          <ModelPreview poster={allItems.find((m) => m.id === media.posterMediaId) ?? null} />
        )}
        {index === 0 && media.status === 'ready' && <span className={styles.mainBadge}>Main</span>}
        {isPoster && <span className={styles.posterBadge}>3D poster</span>}
        {media.status !== 'ready' && (
          <span className={styles.statusOverlay}>
            <StatusBadge status={media.status} />
          </span>
        )}
      </div>

      <div className={styles.cardBody}>
        {failure && (
          <p className={styles.cardFailure}>
            Failed: {failure.reason}
            {failure.detail && <span className={styles.failureDetail}>{failure.detail}</span>}
          </p>
        )}
        {media.kind === 'model' && media.stats && (
          <dl className={styles.facts}>
            <div>
              <dt>Triangles</dt>
              <dd>{formatNumber(media.stats.triangles)}</dd>
            </div>
            <div>
              <dt>Size</dt>
              <dd>{formatBytes(media.byteSize)}</dd>
            </div>
          </dl>
        )}

        {canEdit ? (
          <>
            <AltTextField value={media.alt} label={label} onSave={(alt) => actions.saveAlt(media, alt)} />
            <label className={`field ${styles.altField}`}>
              <span className={styles.smallLabel}>
                Shown for <span className="visually-hidden">({label})</span>
              </span>
              <select
                value={media.variantId ?? ''}
                onChange={(event) => void actions.setVariant(media, event.target.value || null)}
                disabled={busy}
              >
                <option value="">All variants</option>
                {variants.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.title}
                  </option>
                ))}
              </select>
            </label>
          </>
        ) : (
          <dl className={styles.readOnly}>
            <dt>Alt text</dt>
            <dd>{media.alt || <span className="muted">None</span>}</dd>
            <dt>Shown for</dt>
            <dd>{variantTitle ?? 'All variants'}</dd>
          </dl>
        )}

        <div className={styles.cardActions}>
          {media.kind === 'model' && (
            <Link className="button small" href={`/media/${media.id}`}>
              Inspect 3D <span className="visually-hidden">({label})</span>
            </Link>
          )}
          {canEdit && (
            <>
              <button
                type="button"
                className="button small"
                aria-label="Move left"
                title="Move left"
                disabled={index === 0 || busy}
                onClick={() => actions.move(media.id, { step: -1 })}
              >
                ←
              </button>
              <button
                type="button"
                className="button small"
                aria-label="Move right"
                title="Move right"
                disabled={index === count - 1 || busy}
                onClick={() => actions.move(media.id, { step: 1 })}
              >
                →
              </button>
              <span className="spacer" />
              <input
                ref={replaceInput}
                type="file"
                hidden
                accept={acceptFor(media.kind)}
                aria-label={`Replace file of ${label}`}
                onChange={(event) => {
                  const file = event.currentTarget.files?.[0];
                  event.currentTarget.value = '';
                  if (file) actions.replace(media, file);
                }}
              />
              <button
                type="button"
                className="button small"
                disabled={busy}
                onClick={() => replaceInput.current?.click()}
              >
                Replace
              </button>
              <button
                type="button"
                className="button small danger"
                disabled={busy}
                onClick={() => actions.askDelete(media)}
              >
                Delete
              </button>
            </>
          )}
        </div>
      </div>
    </article>
  );
}

function ImagePreview({ media }: { media: Media }) {
  const src = thumbnailOf(media, 240);
  if (!src)
    return (
      <span className={styles.placeholder}>{media.status === 'failed' ? 'No image' : 'Processing…'}</span>
    );
  return (
    // biome-ignore lint/performance/noImgElement: renditions are already sized; next/image would resize again
    <img src={src} alt={media.alt} className={styles.thumb} loading="lazy" draggable={false} />
  );
}

function ModelPreview({ poster }: { poster: Media | null }) {
  const posterSrc = poster ? thumbnailOf(poster, 240) : null;
  return (
    <span className={styles.modelPreview}>
      {posterSrc ? (
        // biome-ignore lint/performance/noImgElement: renditions are already sized
        <img src={posterSrc} alt="" className={styles.thumb} loading="lazy" draggable={false} />
      ) : (
        <svg viewBox="0 0 24 24" width="48" height="48" aria-hidden="true" focusable="false">
          <path
            d="M12 2 21 7v10l-9 5-9-5V7l9-5Zm0 2.3L5.6 7.8 12 11.3l6.4-3.5L12 4.3ZM5 9.5v6.3l6 3.3v-6.3L5 9.5Zm8 9.6 6-3.3V9.5l-6 3.3v6.3Z"
            fill="currentColor"
          />
        </svg>
      )}
      <span className={styles.modelTag}>3D model</span>
    </span>
  );
}
