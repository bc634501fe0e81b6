/**
 * Asset URLs come from the API absolute: on the CDN (CLOUDFRONT_URL, `cdnOrigin`) or on the
 * API's own origin. CDN URLs are used as given (the CSP allows that host). Any other `/assets/…`
 * URL becomes the storefront's same-origin path, which next.config.ts (and the ALB) send to the
 * API, the server of local storage. Safe in server and client components: the server passes
 * `assetOrigins().cdn`, client components get it from useAssetPath().
 */
export function assetPath(url: string, cdnOrigin: string | null): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    if (parsed.origin === cdnOrigin) return url;
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
