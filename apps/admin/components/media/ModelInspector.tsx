'use client';

import { useCallback, useEffect, useId, useState } from 'react';
import { isApiError } from '@/lib/api';
import { formatBytes, formatDateTime } from '@/lib/format';
import { plainReason } from './failure-messages';
import { MaterialVariantsForm } from './MaterialVariantsForm';
import { ModelStats } from './ModelStats';
import { ModelViewer, type ModelViewerElement } from './ModelViewer';
import styles from './media.module.css';
import { getMedia, isPending, type Media } from './media-api';
import { PosterCapture } from './PosterCapture';
import { ValidatorReport } from './ValidatorReport';

const POLL_MS = 1000;

/** model-viewer can show GLB and self-contained .gltf; a ZIP original has to be downloaded. */
const viewable = (url: string | null) => !!url && /\.(glb|gltf)(\?|#|$)/i.test(url);

/**
 * One 3D model in depth: original and optimized side by side (cameras linked), what optimization
 * changed, the validator's findings, the poster, and the material variant of each product variant.
 */
export function ModelInspector({
  initial,
  productTitle,
  variants,
  canEdit,
  onChanged,
}: {
  initial: Media;
  productTitle: string;
  variants: { id: string; title: string }[];
  canEdit: boolean;
  onChanged?: (media: Media) => void;
}) {
  const [media, setMedia] = useState(initial);
  const [pollError, setPollError] = useState<string | null>(null);
  const [original, setOriginal] = useState<ModelViewerElement | null>(null);
  const [optimized, setOptimized] = useState<ModelViewerElement | null>(null);
  const [linked, setLinked] = useState(true);
  const [look, setLook] = useState<string | null>(null);
  const lookId = useId();

  useEffect(() => setMedia(initial), [initial]);

  // Follow processing live until the model is ready or failed.
  const pending = isPending(media);
  useEffect(() => {
    if (!pending) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      getMedia(media.id, controller.signal).then(
        (next) => {
          setMedia(next);
          setPollError(null);
        },
        (error: unknown) => {
          if (!controller.signal.aborted)
            setPollError(isApiError(error) ? error.detail : 'Lost contact with the API; still trying.');
        },
      );
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [pending, media.id]);

  // Turning one view turns the other: only the person's own moves are copied, so no echo.
  useEffect(() => {
    if (!linked || !original || !optimized) return;
    const follow = (from: ModelViewerElement, to: ModelViewerElement) => (event: Event) => {
      if ((event as CustomEvent<{ source: string }>).detail?.source !== 'user-interaction') return;
      to.cameraOrbit = from.getCameraOrbit().toString();
      to.cameraTarget = from.getCameraTarget().toString();
      to.fieldOfView = `${from.getFieldOfView()}deg`;
      to.jumpCameraToGoal();
    };
    const fromOriginal = follow(original, optimized);
    const fromOptimized = follow(optimized, original);
    original.addEventListener('camera-change', fromOriginal);
    optimized.addEventListener('camera-change', fromOptimized);
    return () => {
      original.removeEventListener('camera-change', fromOriginal);
      optimized.removeEventListener('camera-change', fromOptimized);
    };
  }, [linked, original, optimized]);

  const changed = useCallback(
    (next: Media) => {
      setMedia(next);
      onChanged?.(next);
    },
    [onChanged],
  );

  const failure = media.status === 'failed' ? plainReason(media.failure?.code, media.failure?.message) : null;
  const looks = media.stats?.materialVariants ?? [];
  const alt = media.alt || `${productTitle} 3D model`;

  return (
    <div className="stack">
      {pending && (
        <p className="notice" role="status">
          <span className={`spinner ${styles.smallSpinner}`} aria-hidden="true" /> Processing… the model is
          being validated and optimized. This page updates by itself.
          {pollError && <span className="muted"> {pollError}</span>}
        </p>
      )}
      {failure && (
        <div className="notice danger" role="alert">
          <p>
            <strong>Failed:</strong> {failure.reason}
          </p>
          {failure.detail && (
            <p className={styles.failureDetail}>
              {failure.detail}
              {failure.code && <span className="mono"> ({failure.code})</span>}
            </p>
          )}
        </div>
      )}

      {media.status === 'ready' && media.url && (
        <section className="card stack" aria-labelledby="inspector-preview">
          <div className="row">
            <h2 id="inspector-preview">Preview</h2>
            <span className="spacer" />
            {looks.length > 0 && (
              <label className={styles.inlineField} htmlFor={lookId}>
                Look
                <select
                  id={lookId}
                  value={look ?? ''}
                  onChange={(event) => setLook(event.target.value || null)}
                >
                  <option value="">Default</option>
                  {looks.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {viewable(media.originalUrl) && (
              <label className={styles.inlineField}>
                <input
                  type="checkbox"
                  checked={linked}
                  onChange={(event) => setLinked(event.target.checked)}
                />
                Move both views together
              </label>
            )}
          </div>
          <div className={styles.viewers}>
            <figure className={styles.viewerFigure}>
              <figcaption>
                <strong>Original</strong> <span className="muted">{formatBytes(media.originalByteSize)}</span>
              </figcaption>
              {viewable(media.originalUrl) ? (
                <ModelViewer
                  src={media.originalUrl as string}
                  alt={`${alt} (original upload)`}
                  variantName={look}
                  onViewer={setOriginal}
                  testId="model-original"
                />
              ) : (
                <div className={styles.viewerNote}>
                  <p>The original is a ZIP archive, which the browser cannot preview.</p>
                  {media.originalUrl && (
                    <a className="button small" href={media.originalUrl} download>
                      Download the original
                    </a>
                  )}
                </div>
              )}
            </figure>
            <figure className={styles.viewerFigure}>
              <figcaption>
                <strong>Optimized</strong> <span className="muted">{formatBytes(media.byteSize)}</span>
              </figcaption>
              <ModelViewer
                src={media.url}
                alt={alt}
                variantName={look}
                onViewer={setOptimized}
                testId="model-optimized"
              />
            </figure>
          </div>
          <p className="muted">Drag to turn · scroll or pinch to zoom · right-drag to pan.</p>
        </section>
      )}

      {media.stats && (
        <section className="card stack" aria-labelledby="inspector-stats">
          <h2 id="inspector-stats">Optimization</h2>
          <ModelStats media={media} />
          {media.processedAt && <p className="muted">Processed {formatDateTime(media.processedAt)}.</p>}
        </section>
      )}

      {(media.validator || media.status === 'ready') && (
        <section className="card stack" aria-labelledby="inspector-validation">
          <h2 id="inspector-validation">Validation</h2>
          <ValidatorReport validator={media.validator} />
        </section>
      )}

      {media.status === 'ready' && (
        <section className="card stack" aria-labelledby="inspector-poster">
          <h2 id="inspector-poster">Poster</h2>
          <PosterCapture
            model={media}
            productTitle={productTitle}
            viewer={optimized}
            canEdit={canEdit}
            onChanged={changed}
          />
        </section>
      )}

      {media.status === 'ready' && (
        <section className="card stack" aria-labelledby="inspector-variants">
          <h2 id="inspector-variants">Material variants</h2>
          <MaterialVariantsForm
            mediaId={media.id}
            ready={media.status === 'ready'}
            variants={variants}
            canEdit={canEdit}
            onPreview={setLook}
          />
        </section>
      )}
    </div>
  );
}
