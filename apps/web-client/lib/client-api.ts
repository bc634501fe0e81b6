import { CUSTOMER_SESSION, createApiClient } from '@e3d/sdk';

export type { FieldError, RequestOptions } from '@e3d/sdk';
export { ApiError, fieldErrors, isApiError, newIdempotencyKey } from '@e3d/sdk';

/** The storefront's client: the shopper's customer session. */
export const { api, apiFetch, hasSession, noteSession, forgetSession, onSessionChange, refreshSession } =
  createApiClient(CUSTOMER_SESSION);
