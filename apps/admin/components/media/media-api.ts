import type { AdminMedia, MaterialVariantMapping } from '@e3d/contracts';
import { ApiError, api } from '@/lib/api';

/**
 * `posterMediaId` is being added to AdminMedia (api-contract "Model poster"); read it through
 * this type so the admin works whether or not the contracts package has it yet.
 */
export type Media = AdminMedia & { posterMediaId?: string | null };
export type MediaKind = Media['kind'];
export type { MaterialVariantMapping };

export interface DirectUpload {
  uploadKey: string;
  maxBytes: number;
  upload: { method: 'POST'; url: string; fields: Record<string, string>; expiresAt: string };
}

/** What the API answers for each accepted extension; browsers often give '' for .glb and .zip. */
const TYPES_BY_EXTENSION: Record<string, { kind: MediaKind; contentType: string }> = {
  jpg: { kind: 'image', contentType: 'image/jpeg' },
  jpeg: { kind: 'image', contentType: 'image/jpeg' },
  png: { kind: 'image', contentType: 'image/png' },
  webp: { kind: 'image', contentType: 'image/webp' },
  avif: { kind: 'image', contentType: 'image/avif' },
  glb: { kind: 'model', contentType: 'model/gltf-binary' },
  gltf: { kind: 'model', contentType: 'model/gltf+json' },
  zip: { kind: 'model', contentType: 'application/zip' },
};

/** For the file picker: extensions and types, so every platform's dialog offers the files. */
export const ACCEPT_ALL = [
  ...Object.keys(TYPES_BY_EXTENSION).map((ext) => `.${ext}`),
  ...new Set(Object.values(TYPES_BY_EXTENSION).map((t) => t.contentType)),
].join(',');

export const acceptFor = (kind: MediaKind) =>
  Object.entries(TYPES_BY_EXTENSION)
    .filter(([, t]) => t.kind === kind)
    .map(([ext]) => `.${ext}`)
    .join(',');

export function fileType(name: string): { kind: MediaKind; contentType: string } | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  return TYPES_BY_EXTENSION[name.slice(dot + 1).toLowerCase()] ?? null;
}

export const productMediaPath = (productId: string) =>
  `/api/admin/products/${encodeURIComponent(productId)}/media`;
export const mediaPath = (mediaId: string) => `/api/admin/media/${encodeURIComponent(mediaId)}`;

export const listMedia = (productId: string, signal?: AbortSignal) =>
  api.get<{ items: Media[] }>(productMediaPath(productId), { signal }).then((r) => r.items);

export const getMedia = (mediaId: string, signal?: AbortSignal) =>
  api.get<Media>(mediaPath(mediaId), { signal });

export const updateMedia = (
  mediaId: string,
  patch: { alt?: string; variantId?: string | null; posterMediaId?: string | null },
) => api.patch<Media>(mediaPath(mediaId), patch);

export const deleteMedia = (mediaId: string) => api.delete<void>(mediaPath(mediaId));

export const saveOrder = (productId: string, mediaIds: string[]) =>
  api.put<{ items: Media[] }>(`${productMediaPath(productId)}/order`, { mediaIds }).then((r) => r.items);

export const getMaterialVariants = (mediaId: string, signal?: AbortSignal) =>
  api.get<MaterialVariantMapping>(`${mediaPath(mediaId)}/material-variants`, { signal });

export const setMaterialVariants = (
  mediaId: string,
  links: { variantId: string; materialVariant: string }[],
) => api.put<MaterialVariantMapping>(`${mediaPath(mediaId)}/material-variants`, { links });

export const isPending = (media: Pick<Media, 'status'>) =>
  media.status === 'uploaded' || media.status === 'processing';

/** The smallest rendition at least `minWidth` wide (WebP preferred), else the largest there is. */
export function thumbnailOf(media: Media, minWidth = 0): string | null {
  const renditions = [...media.renditions].sort(
    (a, b) => a.width - b.width || Number(b.format === 'webp') - Number(a.format === 'webp'),
  );
  const fit = renditions.find((r) => r.width >= minWidth) ?? renditions[renditions.length - 1];
  return fit?.url ?? media.url;
}

/** Asks the API for a direct upload of one file (throws ApiError when refused). */
export const grantUpload = (
  productId: string,
  request: { kind: MediaKind; filename: string; contentType: string; byteSize: number },
) => api.post<DirectUpload>(`${productMediaPath(productId)}/uploads`, request);

export const confirmUpload = (
  productId: string,
  body: { kind: MediaKind; uploadKey: string; alt: string; variantId?: string | null },
) => api.post<Media>(productMediaPath(productId), body);

export const replaceUpload = (mediaId: string, uploadKey: string) =>
  api.post<Media>(`${mediaPath(mediaId)}/replace`, { uploadKey });

/**
 * Sends the file straight to storage (an S3 presigned POST, or the API's signed local route,
 * possibly on another origin): every granted field, then `file`, without credentials.
 * XMLHttpRequest rather than fetch for its upload progress events. Rejects with an ApiError
 * (status 0 when the network failed, code `aborted` when `signal` fired).
 */
export function sendDirectUpload(
  grant: DirectUpload,
  file: Blob,
  contentType: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.upload.fields)) form.append(name, value);
    // The part's type must be the granted one (S3 and the local route both check it), and a
    // browser sends '' or application/octet-stream for .glb and .zip files.
    const typed = file.type === contentType ? file : new Blob([file], { type: contentType });
    form.append('file', typed, file instanceof File ? file.name : 'upload');

    const xhr = new XMLHttpRequest();
    xhr.open(grant.upload.method, grant.upload.url);
    xhr.withCredentials = false;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(storageRefusal(xhr.status, xhr.responseText));
    };
    xhr.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: 'network_error',
          detail: 'The file could not be sent: the connection to the storage failed.',
        }),
      );
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'aborted', detail: 'Upload canceled.' }));
    if (signal) {
      if (signal.aborted) return xhr.abort();
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

/** A refusal from the local route (JSON problem) or from S3 (XML `<Error><Code>`) as an ApiError. */
function storageRefusal(status: number, body: string): ApiError {
  try {
    const problem = JSON.parse(body) as { code?: unknown; detail?: unknown };
    if (typeof problem.code === 'string') {
      return new ApiError({
        status,
        code: problem.code,
        detail: typeof problem.detail === 'string' ? problem.detail : `Storage answered ${status}.`,
      });
    }
  } catch {
    // Not JSON: S3 answers in XML.
  }
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  return new ApiError({
    status,
    code: code ?? 'upload_refused',
    detail: message ?? `The storage refused the file (HTTP ${status}).`,
  });
}

/** Resolves after `ms`, or rejects at once when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
