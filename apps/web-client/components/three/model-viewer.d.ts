import type { DetailedHTMLProps, HTMLAttributes } from 'react';

/** `<model-viewer>` (@google/model-viewer 4.4) attributes the storefront uses. */
export interface ModelViewerAttributes extends DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> {
  src?: string;
  alt?: string;
  poster?: string;
  loading?: 'auto' | 'lazy' | 'eager';
  reveal?: 'auto' | 'manual';
  ar?: boolean;
  'ar-modes'?: string;
  'ar-scale'?: 'auto' | 'fixed';
  'ar-placement'?: 'floor' | 'wall';
  'ios-src'?: string;
  'camera-controls'?: boolean;
  'auto-rotate'?: boolean;
  'auto-rotate-delay'?: number | string;
  'rotation-per-second'?: string;
  'touch-action'?: 'pan-y' | 'pan-x' | 'none';
  'interaction-prompt'?: 'auto' | 'none';
  'camera-orbit'?: string;
  'field-of-view'?: string;
  'shadow-intensity'?: number | string;
  'shadow-softness'?: number | string;
  'environment-image'?: string;
  'skybox-image'?: string;
  'tone-mapping'?: 'auto' | 'neutral' | 'aces' | 'agx' | 'reinhard' | 'cineon' | 'linear' | 'none';
  exposure?: number | string;
  'variant-name'?: string;
  'disable-zoom'?: boolean;
  'data-testid'?: string;
  'data-model-loaded'?: 'true' | 'false';
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'model-viewer': ModelViewerAttributes;
    }
  }
}
