/**
 * Asset URLs come from the API absolute (on its origin or a CDN). The storefront serves
 * `/assets/*` itself (next.config.ts rewrites it to the API), so pages use the same-origin
 * path and the browser never talks to another host. Safe in server and client components.
 */
export function assetPath(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.pathname.startsWith('/assets/')) return `${parsed.pathname}${parsed.search}`;
  } catch {
    // not an absolute URL: leave it alone
  }
  return url;
}

export interface ImageSource {
  url: string;
  width: number;
  type: string;
}

export interface PictureImage {
  url: string;
  alt: string;
  width: number;
  height: number;
  sources: ImageSource[];
}

/** `srcset` of one format, narrowest first. */
export function srcSetOf(sources: ImageSource[], type: string): string {
  return sources
    .filter((s) => s.type === type)
    .sort((a, b) => a.width - b.width)
    .map((s) => `${s.url} ${s.width}w`)
    .join(', ');
}

/** The smallest rendition at least `width` wide (or the widest), for thumbnails and posters. */
export function renditionFor(image: PictureImage, width: number, type = 'image/webp'): string {
  const ofType = image.sources.filter((s) => s.type === type).sort((a, b) => a.width - b.width);
  return (ofType.find((s) => s.width >= width) ?? ofType.at(-1))?.url ?? image.url;
}
