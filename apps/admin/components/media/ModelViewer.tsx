'use client';

import type { ModelViewerElement } from '@google/model-viewer';
import { useEffect, useRef, useState } from 'react';
import styles from './media.module.css';

export type { ModelViewerElement };

/**
 * Decoders from the admin's own public/ (copied there by the dev/build script), never Google's CDN.
 * Meshopt: model-viewer loads this URL as a classic <script> only to wait for it, then uses the
 * MeshoptDecoder bundled in its own chunk; three's decoder file is an ES module a classic script
 * cannot run, so an empty same-origin script stands in (as the storefront does).
 */
function decoderLocations() {
  return {
    dracoDecoderLocation: '/draco/',
    ktx2TranscoderLocation: '/basis/',
    meshoptDecoderLocation: URL.createObjectURL(
      new Blob(['/* model-viewer waits for this to load; its own chunk holds the decoder */'], {
        type: 'text/javascript',
      }),
    ),
  };
}

let library: Promise<void> | null = null;

/** model-viewer (with three.js) is a chunk of its own, fetched the first time a viewer mounts. */
function loadLibrary(): Promise<void> {
  if (library) return library;
  const decoders = decoderLocations();
  // Every new element re-reads these from the global settings object; the statics configure the
  // shared loaders at once.
  const settings = self as unknown as { ModelViewerElement?: Record<string, unknown> };
  settings.ModelViewerElement = { ...settings.ModelViewerElement, ...decoders };
  library = import('@google/model-viewer')
    .then(({ ModelViewerElement }) => {
      ModelViewerElement.dracoDecoderLocation = decoders.dracoDecoderLocation;
      ModelViewerElement.ktx2TranscoderLocation = decoders.ktx2TranscoderLocation;
      ModelViewerElement.meshoptDecoderLocation = decoders.meshoptDecoderLocation;
    })
    .catch((error: unknown) => {
      library = null;
      throw error;
    });
  return library;
}

type Phase = 'library' | 'loading' | 'ready' | 'error';

/**
 * One 3D view with camera controls. The element is created by hand (not JSX) so the admin needs
 * no global JSX typing for it, and so it is created only once the library is defined.
 */
export function ModelViewer({
  src,
  alt,
  variantName = null,
  onViewer,
  testId,
}: {
  src: string;
  alt: string;
  /** KHR_materials_variants name to show; null = the model's default look. */
  variantName?: string | null;
  onViewer?: (viewer: ModelViewerElement | null) => void;
  testId?: string;
}) {
  const slotRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<ModelViewerElement | null>(null);
  const [phase, setPhase] = useState<Phase>('library');
  const [progress, setProgress] = useState(0);
  const [ready, setReady] = useState(false);
  const announce = useRef(onViewer);
  announce.current = onViewer;

  useEffect(() => {
    let live = true;
    loadLibrary().then(
      () => live && setReady(true),
      () => live && setPhase('error'),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const slot = slotRef.current;
    if (!ready || !slot) return;
    const viewer = document.createElement('model-viewer');
    const attributes: Record<string, string> = {
      'camera-controls': '',
      'touch-action': 'pan-y',
      'interaction-prompt': 'none',
      'shadow-intensity': '1',
      'tone-mapping': 'neutral',
      ...(testId ? { 'data-testid': testId } : {}),
    };
    for (const [name, value] of Object.entries(attributes)) viewer.setAttribute(name, value);
    const onLoad = () => setPhase('ready');
    const onError = () => setPhase('error');
    const onProgress = (event: Event) =>
      setProgress((event as CustomEvent<{ totalProgress: number }>).detail.totalProgress);
    viewer.addEventListener('load', onLoad);
    viewer.addEventListener('error', onError);
    viewer.addEventListener('progress', onProgress);
    viewer.className = styles.viewerElement ?? '';
    slot.append(viewer);
    viewerRef.current = viewer;
    announce.current?.(viewer);
    return () => {
      viewer.removeEventListener('load', onLoad);
      viewer.removeEventListener('error', onError);
      viewer.removeEventListener('progress', onProgress);
      viewer.remove();
      viewerRef.current = null;
      announce.current?.(null);
    };
  }, [ready, testId]);

  useEffect(() => {
    const viewer = viewerRef.current;
    if (!viewer || !ready) return;
    viewer.alt = alt;
    if (viewer.src !== src) {
      setPhase('loading');
      setProgress(0);
      viewer.src = src;
    }
  }, [src, alt, ready]);

  // Variants exist only once a model has loaded, so this runs again after each load.
  // biome-ignore lint/correctness/useExhaustiveDependencies: phase re-applies the variant after a load
  useEffect(() => {
    const viewer = viewerRef.current;
    if (viewer && ready) viewer.variantName = variantName;
  }, [variantName, ready, phase]);

  return (
    <div className={styles.viewerBox} data-phase={phase}>
      <div ref={slotRef} className={styles.viewerSlot} />
      {phase !== 'ready' && (
        <div className={styles.viewerOverlay}>
          {phase === 'error' ? (
            <p role="alert">The 3D view could not load this file.</p>
          ) : (
            <p role="status">
              <span className={`spinner ${styles.smallSpinner}`} aria-hidden="true" /> Loading the 3D view
              {phase === 'loading' && progress > 0 ? ` ${Math.round(progress * 100)}%` : '…'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
