import { createApiClient, STAFF_SESSION } from '@e3d/sdk';

export type { FieldError, RequestOptions } from '@e3d/sdk';
export { ApiError, fieldErrors, isApiError, newIdempotencyKey } from '@e3d/sdk';

/** The admin's client: the staff session (its own cookies, so a shop session can coexist). */
export const { api, apiFetch, hasSession, noteSession, forgetSession, onSessionChange, refreshSession } =
  createApiClient(STAFF_SESSION);

/** A query string from the defined, non-empty values (`?a=1&b=x`, or '' when none). */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
