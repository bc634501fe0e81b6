import 'server-only';

/**
 * Server-side reads from the API. Catalog reads are cached by Next (ISR) under tags the API's
 * revalidation calls name (`product:<handle>`, `products`, `categories`, `collection:<handle>`),
 * so a change in the admin reaches the pages within seconds and nothing waits on the API otherwise.
 */
export const API_URL = (process.env.E3D_API_URL ?? 'http://localhost:4000').replace(/\/$/, '');

/** How long a cached catalog page may be served before a background refresh, when no tag expires it. */
export const CATALOG_REVALIDATE_SECONDS = 300;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function apiGet<T>(
  path: string,
  options: { tags?: string[]; revalidate?: number | false; headers?: Record<string, string> } = {},
): Promise<T | null> {
  const response = await fetch(`${API_URL}${path}`, {
    headers: { accept: 'application/json', ...options.headers },
    ...(options.tags || options.revalidate !== undefined
      ? { next: { tags: options.tags ?? [], revalidate: options.revalidate ?? CATALOG_REVALIDATE_SECONDS } }
      : { cache: 'no-store' as const }),
  });
  if (response.status === 404) return null;
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(response.status, problem.code ?? 'api_error', problem.detail ?? response.statusText);
  }
  return (await response.json()) as T;
}
