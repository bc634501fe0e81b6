'use client';

import type { ModelViewerElement } from '@google/model-viewer';
import { useEffect, useRef, useState } from 'react';
import { type PictureImage, renditionFor } from '@/components/catalog/media';
import { Picture } from '@/components/catalog/Picture';
import styles from './ProductModel.module.css';

export interface ProductModelProps {
  src: string;
  alt: string;
  /** Drawn first, in the same box, until the model is on screen (it is usually the LCP image). */
  poster: PictureImage | null;
  posterSizes: string;
  /** Material variant (KHR_materials_variants) of the selected product variant; null = the default look. */
  variantName: string | null;
  /** The gallery shows something else: keep the viewer (and its GPU state) but hide it. */
  hidden?: boolean;
}

type Phase = 'poster' | 'loading' | 'ready' | 'error';

/** Any of these means the shopper is using the page: an on-screen viewer may load now. */
const SETTLE_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;
/** Without interaction, an on-screen viewer loads this long after the page's load event. */
const SETTLE_AFTER_LOAD_MS = 6000;
/** How long "View in 3D" stays (fading) after the model appears. */
const CTA_LINGER_MS = 1200;
/** Once settled, the rest of the visit (client-side navigations included) counts as settled. */
let pageSettled = false;

let library: Promise<void> | null = null;

/**
 * Where model-viewer finds its decoders: the storefront's own copies (scripts/copy-3d-assets.mjs).
 * Meshopt: model-viewer loads this URL as a classic <script> only to wait for it, then uses the
 * MeshoptDecoder bundled in its own chunk. three's /meshopt/meshopt_decoder.module.js is an ES
 * module, which a classic script cannot run (a SyntaxError on the page), so a same-origin
 * placeholder script stands in (public/env/meshopt-ready.js).
 */
const DECODERS = {
  dracoDecoderLocation: '/draco/',
  ktx2TranscoderLocation: '/basis/',
  meshoptDecoderLocation: '/env/meshopt-ready.js',
} as const;

/**
 * model-viewer (and three.js inside it) is a separate chunk, fetched only on first use. The
 * decoder locations are set before any element exists, twice over: every new element re-reads
 * them from the global `self.ModelViewerElement` settings object (falling back to Google's CDN
 * when a field is missing there), and the class statics configure the shared loaders at once.
 */
function loadLibrary(): Promise<void> {
  const settings = self as unknown as { ModelViewerElement?: Record<string, unknown> };
  settings.ModelViewerElement = { ...settings.ModelViewerElement, ...DECODERS };
  library ??= import('@google/model-viewer')
    .then(({ ModelViewerElement }) => {
      ModelViewerElement.dracoDecoderLocation = DECODERS.dracoDecoderLocation;
      ModelViewerElement.ktx2TranscoderLocation = DECODERS.ktx2TranscoderLocation;
      ModelViewerElement.meshoptDecoderLocation = DECODERS.meshoptDecoderLocation;
      // One parsed model stays cached (switching back is instant); older ones are disposed.
      ModelViewerElement.modelCacheSize = 1;
    })
    .catch((error: unknown) => {
      library = null;
      throw error;
    });
  return library;
}

/**
 * One <model-viewer> element for the whole visit. model-viewer leaks memory when elements are
 * created and dropped, so a product page borrows this element (moving it into its own box and
 * setting `src`) instead of creating another; a second viewer on the same page gets its own.
 */
let shared: ModelViewerElement | null = null;
let sharedInUse = false;

function createViewer(arLabel: string, arClass: string): ModelViewerElement {
  const viewer = document.createElement('model-viewer');
  const attributes: Record<string, string> = {
    'camera-controls': '',
    'auto-rotate': '',
    'auto-rotate-delay': '1500',
    'touch-action': 'pan-y',
    'interaction-prompt': 'auto',
    'shadow-intensity': '1',
    'shadow-softness': '0.8',
    ar: '',
    'ar-modes': 'webxr scene-viewer quick-look',
    'ar-scale': 'fixed',
    'environment-image': '/env/studio.hdr',
    'tone-mapping': 'neutral',
    'data-testid': 'product-model',
    'data-model-loaded': 'false',
  };
  for (const [name, value] of Object.entries(attributes)) viewer.setAttribute(name, value);
  viewer.addEventListener('load', () => viewer.setAttribute('data-model-loaded', 'true'));
  viewer.addEventListener('error', () => viewer.setAttribute('data-model-loaded', 'false'));
  const ar = document.createElement('button');
  ar.type = 'button';
  ar.slot = 'ar-button';
  ar.className = arClass;
  ar.textContent = arLabel;
  viewer.append(ar);
  return viewer;
}

function acquireViewer(): ModelViewerElement {
  if (shared && !sharedInUse) {
    sharedInUse = true;
    return shared;
  }
  const viewer = createViewer('View in your room', styles.arButton ?? '');
  if (!shared) {
    shared = viewer;
    sharedInUse = true;
  }
  return viewer;
}

function releaseViewer(viewer: ModelViewerElement) {
  viewer.remove();
  if (viewer === shared) sharedInUse = false;
}

function scheduleIdle(run: () => void): () => void {
  if ('requestIdleCallback' in window) {
    const id = window.requestIdleCallback(run, { timeout: 2500 });
    return () => window.cancelIdleCallback(id);
  }
  const id = setTimeout(run, 300);
  return () => clearTimeout(id);
}

/**
 * The product's 3D model. Server and first client render are just the poster picture with a
 * "View in 3D" button, in the same box; model-viewer is imported when the box is in view once
 * the page has settled, or at once when the shopper asks for it.
 */
export function ProductModel({
  src,
  alt,
  poster,
  posterSizes,
  variantName,
  hidden = false,
}: ProductModelProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const slotRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<ModelViewerElement | null>(null);
  const [phase, setPhase] = useState<Phase>('poster');
  const [wanted, setWanted] = useState<'idle' | 'visible' | 'now'>('idle');
  const [libraryReady, setLibraryReady] = useState(false);

  // In view and the page has settled → load when the main thread is idle. "Settled" means the
  // shopper has interacted with the page (scroll, touch, pointer, key) or it has sat idle for a
  // few seconds after load: a viewer that is on screen at load never competes with the page's
  // own first paint and hydration. With Save-Data on, only the button loads it.
  useEffect(() => {
    const box = boxRef.current;
    if (!box || wanted !== 'idle') return;
    const cleanups: (() => void)[] = [];
    const saveData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData;
    let visible = false;
    let settled = pageSettled && !saveData;
    let scheduled = false;
    const maybeLoad = () => {
      if (!visible || !settled || scheduled) return;
      scheduled = true;
      cleanups.push(scheduleIdle(() => setWanted((w) => (w === 'idle' ? 'visible' : w))));
    };
    const observer = new IntersectionObserver(
      (entries) => {
        visible = entries.some((e) => e.isIntersecting);
        maybeLoad();
      },
      { rootMargin: '200px 0px' },
    );
    observer.observe(box);
    cleanups.push(() => observer.disconnect());

    if (!saveData && !settled) {
      const settle = () => {
        settled = true;
        pageSettled = true;
        maybeLoad();
      };
      for (const type of SETTLE_EVENTS) {
        window.addEventListener(type, settle, { once: true, passive: true, capture: true });
        cleanups.push(() => window.removeEventListener(type, settle, { capture: true }));
      }
      const startTimer = () => {
        const timer = setTimeout(settle, SETTLE_AFTER_LOAD_MS);
        cleanups.push(() => clearTimeout(timer));
      };
      if (document.readyState === 'complete') startTimer();
      else {
        window.addEventListener('load', startTimer, { once: true });
        cleanups.push(() => window.removeEventListener('load', startTimer));
      }
    }
    return () => {
      for (const cleanup of cleanups) cleanup();
    };
  }, [wanted]);

  useEffect(() => {
    if (wanted === 'idle' || libraryReady) return;
    let live = true;
    setPhase('loading');
    loadLibrary().then(
      () => live && setLibraryReady(true),
      () => live && setPhase('error'),
    );
    return () => {
      live = false;
    };
  }, [wanted, libraryReady]);

  // Borrow the viewer for as long as this component is mounted.
  useEffect(() => {
    if (!libraryReady) return;
    const slot = slotRef.current;
    if (!slot) return;
    const viewer = acquireViewer();
    viewerRef.current = viewer;
    const onLoad = () => setPhase('ready');
    const onError = () => setPhase('error');
    viewer.addEventListener('load', onLoad);
    viewer.addEventListener('error', onError);
    slot.append(viewer);
    return () => {
      viewer.removeEventListener('load', onLoad);
      viewer.removeEventListener('error', onError);
      viewerRef.current = null;
      releaseViewer(viewer);
    };
  }, [libraryReady]);

  // Model, poster and text follow the props; one element, `src` changes in place.
  useEffect(() => {
    const viewer = viewerRef.current;
    if (!viewer || !libraryReady) return;
    viewer.alt = alt;
    viewer.poster = poster ? renditionFor(poster, 960) : '';
    viewer.loading = wanted === 'now' ? 'eager' : 'lazy';
    if (viewer.src !== src) {
      viewer.setAttribute('data-model-loaded', 'false');
      setPhase('loading');
      viewer.src = src;
    } else if (viewer.loaded) {
      viewer.setAttribute('data-model-loaded', 'true');
      setPhase('ready');
    }
  }, [src, alt, poster, wanted, libraryReady]);

  // Applied again once a model has loaded (`phase`): its variants exist only then.
  // biome-ignore lint/correctness/useExhaustiveDependencies: phase re-applies the variant after a load
  useEffect(() => {
    const viewer = viewerRef.current;
    if (!viewer || !libraryReady) return;
    viewer.variantName = variantName;
  }, [variantName, libraryReady, phase]);

  // The button leaves a little after the model is on screen, not at the same instant.
  const [ctaLingers, setCtaLingers] = useState(true);
  useEffect(() => {
    if (phase !== 'ready') {
      setCtaLingers(true);
      return;
    }
    const timer = setTimeout(() => setCtaLingers(false), CTA_LINGER_MS);
    return () => clearTimeout(timer);
  }, [phase]);
  const showCta = phase !== 'ready' || ctaLingers;

  const loading = phase === 'loading';
  return (
    <div ref={boxRef} className={styles.box} hidden={hidden} data-phase={phase}>
      {poster && (
        <Picture image={poster} sizes={posterSizes} priority className={styles.poster} alt={poster.alt} />
      )}
      <div ref={slotRef} className={styles.viewer} />
      {showCta && (
        <div className={phase === 'ready' ? `${styles.overlay} ${styles.overlayDone}` : styles.overlay}>
          {phase === 'error' ? (
            <p className={styles.status} role="status">
              The 3D view could not load.{' '}
              <button type="button" className={styles.retry} onClick={() => window.location.reload()}>
                Reload
              </button>
            </p>
          ) : (
            // Stays a plain, enabled "View in 3D" while loading (pressing it again is harmless) and
            // lingers a moment after the model appears, fading: nothing moves under a pointer.
            <button type="button" className={styles.cta} onClick={() => setWanted('now')} aria-busy={loading}>
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                <path
                  d="M12 2 21 7v10l-9 5-9-5V7l9-5Zm0 2.3L5.6 7.8 12 11.3l6.4-3.5L12 4.3ZM5 9.5v6.3l6 3.3v-6.3L5 9.5Zm8 9.6 6-3.3V9.5l-6 3.3v6.3Z"
                  fill="currentColor"
                />
              </svg>
              View in 3D
            </button>
          )}
        </div>
      )}
      <p className="visually-hidden" role="status">
        {wanted === 'now' && phase === 'loading'
          ? 'Loading the 3D model…'
          : phase === 'ready'
            ? '3D model ready'
            : ''}
      </p>
      {phase === 'ready' && <p className={styles.hint}>Drag to turn it around · pinch or scroll to zoom</p>}
    </div>
  );
}
