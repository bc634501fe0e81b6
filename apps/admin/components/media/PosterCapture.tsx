'use client';

import { useEffect, useRef, useState } from 'react';
import { useToasts } from '@/components/ui/Toasts';
import { isApiError } from '@/lib/api';
import { plainError, plainReason } from './failure-messages';
import type { ModelViewerElement } from './ModelViewer';
import styles from './media.module.css';
import {
  confirmUpload,
  deleteMedia,
  getMedia,
  grantUpload,
  isPending,
  type Media,
  sendDirectUpload,
  sleep,
  thumbnailOf,
  updateMedia,
} from './media-api';

type Step = 'idle' | 'capturing' | 'uploading' | 'processing' | 'linking' | 'removing';

const STEP_TEXT: Record<Step, string> = {
  idle: '',
  capturing: 'Capturing the view…',
  uploading: 'Uploading the poster…',
  processing: 'Processing the poster image…',
  linking: 'Setting it as the poster…',
  removing: 'Removing the poster…',
};

/** Waits for an image media to finish processing (images take about a second). */
async function settle(mediaId: string, signal: AbortSignal): Promise<Media> {
  for (let i = 0; i < 120; i++) {
    await sleep(1000, signal);
    const media = await getMedia(mediaId, signal);
    if (!isPending(media)) return media;
  }
  throw new Error('The poster image is taking too long to process. Try again in a moment.');
}

/**
 * The model's poster: the image shown before the 3D view loads. Captured from the optimized
 * view as WebP, uploaded as an image of the product, then linked to the model.
 */
export function PosterCapture({
  model,
  productTitle,
  viewer,
  canEdit,
  onChanged,
}: {
  model: Media;
  productTitle: string;
  /** The optimized view, once on screen. */
  viewer: ModelViewerElement | null;
  canEdit: boolean;
  onChanged: (model: Media) => void;
}) {
  const { notify, fail } = useToasts();
  const [poster, setPoster] = useState<Media | null>(null);
  const [posterError, setPosterError] = useState<string | null>(null);
  const [step, setStep] = useState<Step>('idle');
  const [error, setError] = useState<string | null>(null);
  const [viewerReady, setViewerReady] = useState(false);
  const posterId = model.posterMediaId ?? null;

  useEffect(() => {
    if (!posterId) {
      setPoster(null);
      return;
    }
    const controller = new AbortController();
    getMedia(posterId, controller.signal).then(
      (media) => {
        setPoster(media);
        setPosterError(null);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setPoster(null);
        setPosterError(isApiError(err) && err.status === 404 ? null : 'The poster could not be loaded.');
      },
    );
    return () => controller.abort();
  }, [posterId]);

  useEffect(() => {
    if (!viewer) {
      setViewerReady(false);
      return;
    }
    setViewerReady(viewer.loaded);
    const onLoad = () => setViewerReady(true);
    viewer.addEventListener('load', onLoad);
    return () => viewer.removeEventListener('load', onLoad);
  }, [viewer]);

  // Unmounting mid-way stops the polling; the steps already done stand.
  const lifetime = useRef<AbortController | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  const capture = async () => {
    const controller = lifetime.current;
    if (!viewer || !controller) return;
    setError(null);
    let imageId: string | null = null;
    try {
      setStep('capturing');
      const blob = await viewer.toBlob({ mimeType: 'image/webp', idealAspect: true });
      // A browser without a WebP encoder hands back PNG.
      const contentType = blob.type === 'image/png' ? 'image/png' : 'image/webp';
      const filename = `poster-${model.id.slice(0, 8)}.${contentType === 'image/png' ? 'png' : 'webp'}`;
      setStep('uploading');
      const grant = await grantUpload(model.productId, {
        kind: 'image',
        filename,
        contentType,
        byteSize: blob.size,
      });
      await sendDirectUpload(grant, blob, contentType, () => undefined, controller.signal);
      const image = await confirmUpload(model.productId, {
        kind: 'image',
        uploadKey: grant.uploadKey,
        alt: `${productTitle} poster`,
      });
      imageId = image.id;
      setStep('processing');
      const processed = isPending(image) ? await settle(image.id, controller.signal) : image;
      if (processed.status === 'failed') {
        const reason = plainReason(processed.failure?.code, processed.failure?.message);
        throw new Error(`The captured image could not be processed: ${reason.reason}`);
      }
      setStep('linking');
      const updated = await updateMedia(model.id, { posterMediaId: processed.id });
      if (updated.posterMediaId !== processed.id) {
        throw new Error(
          'The API did not link the poster to the model. Ask an administrator to update the API.',
        );
      }
      imageId = null;
      setPoster(processed);
      onChanged(updated);
      notify('Poster captured and set.');
    } catch (err) {
      if (controller.signal.aborted) return;
      setError(plainError(err).reason);
      // The captured image is useless without the link: leave nothing behind.
      if (imageId) await deleteMedia(imageId).catch(() => undefined);
    } finally {
      if (!controller.signal.aborted) setStep('idle');
    }
  };

  const removePoster = async () => {
    setError(null);
    setStep('removing');
    try {
      const updated = await updateMedia(model.id, { posterMediaId: null });
      onChanged(updated);
      notify('Poster removed from the model. The image stays in the product’s media.');
    } catch (err) {
      fail(err, 'The poster could not be removed.');
    } finally {
      setStep('idle');
    }
  };

  const thumb = poster ? thumbnailOf(poster, 320) : null;
  const working = step !== 'idle';

  return (
    <div className={styles.poster}>
      <div className={styles.posterThumb}>
        {thumb ? (
          // biome-ignore lint/performance/noImgElement: renditions are already sized
          <img src={thumb} alt={poster?.alt || 'Current poster'} />
        ) : (
          <span className="muted">{posterError ?? (posterId ? 'Loading…' : 'No poster yet')}</span>
        )}
      </div>
      <div className="stack">
        <p className="muted">
          {posterId
            ? 'Shown while the 3D model loads, in listings and in link previews.'
            : 'Without a poster the storefront shows the product’s first image while the 3D model loads.'}
        </p>
        {canEdit && (
          <>
            <p className="muted">Turn the optimized view to the angle you want, then capture it.</p>
            <div className="row">
              <button
                type="button"
                className="button primary"
                onClick={() => void capture()}
                disabled={!viewerReady || working || model.status !== 'ready'}
              >
                Capture poster
              </button>
              {posterId && (
                <button
                  type="button"
                  className="button"
                  onClick={() => void removePoster()}
                  disabled={working}
                >
                  Remove poster
                </button>
              )}
            </div>
          </>
        )}
        <p role="status" className="muted">
          {STEP_TEXT[step]}
        </p>
        {error && (
          <p className="notice danger" role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}
