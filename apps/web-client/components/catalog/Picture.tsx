import { preload } from 'react-dom';
import { type ImageSource, type PictureImage, srcSetOf } from './media';

interface PictureProps {
  image: PictureImage;
  /** The `sizes` attribute: how wide the image is drawn at each breakpoint. */
  sizes: string;
  /** The page's largest image (LCP): eager, high fetch priority. */
  priority?: boolean;
  className?: string;
  alt?: string;
  /**
   * The widest the image is ever drawn, in CSS pixels: renditions beyond what a 2× screen needs
   * are left out of the srcset (smaller HTML, and no browser picks an oversized file).
   */
  maxWidth?: number;
}

/**
 * AVIF and WebP renditions through `<picture>`, the original as the fallback, explicit
 * width/height so the box is reserved before a byte arrives. Works in server and client components.
 */
export function Picture({ image, sizes, priority = false, className, alt, maxWidth }: PictureProps) {
  const sources = maxWidth ? upTo(image.sources, maxWidth * 2) : image.sources;
  const avif = srcSetOf(sources, 'image/avif');
  const webp = srcSetOf(sources, 'image/webp');
  const others = sources.filter((s) => s.type !== 'image/avif' && s.type !== 'image/webp');
  const fallbackSet = others.length ? srcSetOf(others, others[0]?.type ?? '') : webp;
  if (priority) {
    // A <link rel=preload> in the head: the LCP image starts downloading with the HTML, not
    // after the parser reaches it. Typed, so a browser without AVIF skips it.
    const [type, set] = avif ? ['image/avif', avif] : webp ? ['image/webp', webp] : [undefined, fallbackSet];
    preload(image.url, {
      as: 'image',
      fetchPriority: 'high',
      imageSrcSet: set || undefined,
      imageSizes: sizes,
      type,
    });
  }
  return (
    <picture className={className}>
      {avif && <source type="image/avif" srcSet={avif} sizes={sizes} />}
      {webp && <source type="image/webp" srcSet={webp} sizes={sizes} />}
      <img
        src={image.url}
        srcSet={fallbackSet || undefined}
        sizes={sizes}
        width={image.width}
        height={image.height}
        alt={alt ?? image.alt}
        loading={priority ? 'eager' : 'lazy'}
        decoding={priority ? 'sync' : 'async'}
        fetchPriority={priority ? 'high' : undefined}
      />
    </picture>
  );
}

/** Per format: every rendition narrower than `width`, and the first one at least that wide. */
function upTo(sources: ImageSource[], width: number): ImageSource[] {
  const byType = new Map<string, ImageSource[]>();
  for (const s of sources) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
  return [...byType.values()].flatMap((list) => {
    const sorted = [...list].sort((a, b) => a.width - b.width);
    const cut = sorted.findIndex((s) => s.width >= width);
    return cut < 0 ? sorted : sorted.slice(0, cut + 1);
  });
}
