/**
 * The browser's way to the API, shared by the storefront (customer sessions) and the admin app
 * (staff sessions): same-origin `/api/...` (each app's next.config rewrites it), so the API's
 * cookies are first-party. Sessions live in HttpOnly cookies the page cannot read; a client
 * echoes the readable CSRF cookie on writes and keeps the 15-minute access token fresh:
 * one refresh at a time (across tabs too: two parallel refreshes would present the same
 * single-use refresh token and sign the user out everywhere), then one retry.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** A problem+json answer (RFC 9457): `{ status, code, detail, errors?, ...extensions }`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** Every other member of the problem document (e.g. `items`, `available`, `declineCode`). */
  readonly extensions: Record<string, unknown>;

  constructor(
    problem: { status: number; code: string; detail: string; errors?: FieldError[] } & Record<
      string,
      unknown
    >,
  ) {
    super(problem.detail);
    this.name = 'ApiError';
    const {
      status,
      code,
      detail,
      errors,
      type: _type,
      title: _title,
      instance: _instance,
      ...extensions
    } = problem;
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = Array.isArray(errors) ? errors : [];
    this.extensions = extensions;
  }

  /** True when the request may not have reached the API (retry the same attempt). */
  get isNetworkError() {
    return this.status === 0;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** The field errors of a 400, keyed by field path (`shippingAddress.postalCode`). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isApiError(error)) for (const e of error.errors) out[e.field] ??= e.message;
  return out;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Refresh this long before the access token expires, so no request races its expiry. */
const EARLY_MS = 30_000;
const REFRESHABLE = new Set(['token_expired', 'token_invalid', 'unauthenticated']);

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** `Idempotency-Key`: a fresh value per attempt, the same on retries of that attempt. */
  idempotencyKey?: string;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.code === 'string') {
      return new ApiError({
        ...body,
        status: response.status,
        code: body.code,
        detail: typeof body.detail === 'string' ? body.detail : response.statusText,
      });
    }
  } catch {
    // not JSON: a proxy or the server itself
  }
  return new ApiError({
    status: response.status,
    code: response.status >= 500 ? 'unavailable' : 'http_error',
    detail:
      response.status >= 500
        ? 'The shop is not answering right now. Please try again in a moment.'
        : `The request failed (${response.status}).`,
  });
}

/** Which of the API's two cookie sessions a client carries. */
export interface SessionKind {
  kind: 'customer' | 'staff';
  /** The readable cookie echoed in `x-csrf-token` (it lives as long as the refresh token). */
  csrfCookie: string;
  /** Where login/refresh/logout live. */
  authBase: string;
}

export const CUSTOMER_SESSION: SessionKind = {
  kind: 'customer',
  csrfCookie: 'e3d_csrf',
  authBase: '/api/auth',
};

export const STAFF_SESSION: SessionKind = {
  kind: 'staff',
  csrfCookie: 'e3d_staff_csrf',
  authBase: '/api/admin/auth',
};

export type ApiClient = ReturnType<typeof createApiClient>;

/** A client for one kind of session; its refreshes are serialised across the browser's tabs. */
export function createApiClient(session: SessionKind) {
  /** When the access token stops working (ms since epoch), shared by the tabs of this browser. */
  const expiryKey =
    session.kind === 'customer' ? 'e3d_session_expires' : `e3d_${session.kind}_session_expires`;
  const sessionEvent = `e3d:${session.kind}-session`;
  /** Routes that sign in or out themselves: never refreshed around. */
  const authPath = new RegExp(
    `^${session.authBase}/(login|register|refresh|logout|password-reset|accept-invite)`,
  );

  /** Whether this browser holds such a session (the CSRF cookie lives as long as the refresh token). */
  function hasSession(): boolean {
    return readCookie(session.csrfCookie) !== null;
  }

  function readExpiry(): number | null {
    const value = Number(storage()?.getItem(expiryKey));
    return Number.isFinite(value) && value > 0 ? value : null;
  }

  function emitSessionChange() {
    if (typeof window !== 'undefined') window.dispatchEvent(new Event(sessionEvent));
  }

  /** Call with a token response's `expiresIn` after sign-in, registration or refresh. */
  function noteSession(expiresInSeconds: number, notify = true) {
    storage()?.setItem(expiryKey, String(Date.now() + expiresInSeconds * 1000));
    if (notify) emitSessionChange();
  }

  /** Forget the session on this side too (after sign-out, or when the API refused to refresh it). */
  function forgetSession() {
    storage()?.removeItem(expiryKey);
    // The API clears its cookies when it refuses a refresh cookie; a CSRF cookie left without a
    // refresh cookie would otherwise make every page try again.
    if (typeof document !== 'undefined') {
      // biome-ignore lint/suspicious/noDocumentCookie: expiring one readable cookie; the Cookie Store API is not everywhere yet
      document.cookie = `${session.csrfCookie}=; Max-Age=0; path=/; secure; samesite=lax`;
    }
    emitSessionChange();
  }

  /**
   * Runs `listener` when this tab signs in or out, or another tab does. Returns the unsubscribe.
   */
  function onSessionChange(listener: () => void): () => void {
    const onStorage = (event: StorageEvent) => {
      if (event.key === expiryKey && (event.oldValue === null) !== (event.newValue === null)) listener();
    };
    window.addEventListener(sessionEvent, listener);
    window.addEventListener('storage', onStorage);
    return () => {
      window.removeEventListener(sessionEvent, listener);
      window.removeEventListener('storage', onStorage);
    };
  }

  let refreshing: Promise<boolean> | null = null;

  /**
   * Exchanges the refresh cookie for new tokens. Concurrent callers share one request; other tabs
   * wait on a Web Lock and skip the refresh when one of them did it meanwhile. Resolves false
   * when the session is over (the shopper is signed out).
   */
  function refreshSession(): Promise<boolean> {
    if (refreshing) return refreshing;
    const seen = readExpiry();
    const run = async (): Promise<boolean> => {
      const now = readExpiry();
      if (now !== null && now !== seen && now - EARLY_MS > Date.now()) return true;
      if (!hasSession()) return false;
      let response: Response;
      try {
        response = await fetch(`${session.authBase}/refresh`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: {
            'content-type': 'application/json',
            'x-csrf-token': readCookie(session.csrfCookie) ?? '',
          },
          body: '{}',
        });
      } catch {
        return false; // offline: keep the session, the next request tries again
      }
      if (response.ok) {
        const body = (await response.json()) as { expiresIn: number };
        noteSession(body.expiresIn, false);
        return true;
      }
      if (response.status === 401 || response.status === 403) forgetSession();
      return false;
    };
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const serialized = async (): Promise<boolean> =>
      locks ? await locks.request(`e3d-${session.kind}-refresh`, run) : await run();
    const pending = serialized().finally(() => {
      refreshing = null;
    });
    refreshing = pending;
    return pending;
  }

  async function send(path: string, options: RequestOptions): Promise<Response> {
    const method = options.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (UNSAFE.has(method)) {
      const csrf = readCookie(session.csrfCookie);
      if (csrf) headers['x-csrf-token'] = csrf;
    }
    try {
      return await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError({
        status: 0,
        code: 'network_error',
        detail: 'We could not reach the shop. Check your connection and try again.',
      });
    }
  }

  /**
   * Calls the API at `path` (`/api/...`) and returns the JSON body (undefined for 204), or throws
   * an ApiError (status 0 for a network failure).
   */
  async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const authRoute = authPath.test(path);
    if (!authRoute && hasSession()) {
      const expires = readExpiry();
      // No expiry noted (another tab's sign-in predates this code, or storage was cleared): the
      // access cookie may be gone already, and a request without it would be answered as a guest's.
      const stale = expires === null ? storage() !== null : expires - EARLY_MS < Date.now();
      if (stale) await refreshSession();
    }
    let response = await send(path, options);
    if (response.status === 401 && !authRoute && hasSession()) {
      const problem = await problemOf(response.clone());
      if (REFRESHABLE.has(problem.code) && (await refreshSession())) response = await send(path, options);
    }
    if (!response.ok) throw await problemOf(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const api = {
    get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
      apiFetch<T>(path, { ...options, method: 'GET' }),
    post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
      apiFetch<T>(path, { ...options, method: 'POST', body: body ?? {} }),
    put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
      apiFetch<T>(path, { ...options, method: 'PUT', body: body ?? {} }),
    patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
      apiFetch<T>(path, { ...options, method: 'PATCH', body: body ?? {} }),
    delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
      apiFetch<T>(path, { ...options, method: 'DELETE' }),
  };

  return { api, apiFetch, hasSession, noteSession, forgetSession, onSessionChange, refreshSession };
}

/** A new Idempotency-Key. */
export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
