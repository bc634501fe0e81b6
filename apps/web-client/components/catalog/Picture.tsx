import { type PictureImage, srcSetOf } from './media';

interface PictureProps {
  image: PictureImage;
  /** The `sizes` attribute: how wide the image is drawn at each breakpoint. */
  sizes: string;
  /** The page's largest image (LCP): eager, high fetch priority. */
  priority?: boolean;
  className?: string;
  alt?: string;
}

/**
 * AVIF and WebP renditions through `<picture>`, the original as the fallback, explicit
 * width/height so the box is reserved before a byte arrives. Works in server and client components.
 */
export function Picture({ image, sizes, priority = false, className, alt }: PictureProps) {
  const avif = srcSetOf(image.sources, 'image/avif');
  const webp = srcSetOf(image.sources, 'image/webp');
  const others = image.sources.filter((s) => s.type !== 'image/avif' && s.type !== 'image/webp');
  const fallbackSet = others.length ? srcSetOf(others, others[0]?.type ?? '') : webp;
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
