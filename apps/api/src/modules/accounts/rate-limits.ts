import type { preHandlerAsyncHookHandler } from 'fastify';
import { type RateLimitRequest, type RateLimitSpec, rateLimit } from '../../plugins/protection.ts';

/** The email a request is about: the per-account key of every limit here. */
const byEmail = (request: RateLimitRequest) => request.body?.email;

/**
 * Limits on the routes that guess passwords, probe for accounts or send email: per client
 * address, and per email whatever address the calls come from (credential stuffing). An
 * account's limit can be used to delay its owner's sign-in for a while; that is the price
 * of slowing a guesser down, so those windows stay short.
 */
export const ACCOUNT_RATE_LIMITS = {
  register: {
    name: 'sign-up',
    perIp: { max: 20, windowSeconds: 3600 },
    perAccount: { max: 5, windowSeconds: 3600, key: byEmail },
  },
  login: {
    name: 'sign-in',
    perIp: { max: 30, windowSeconds: 300 },
    perAccount: { max: 10, windowSeconds: 900, key: byEmail },
  },
  staffLogin: {
    name: 'staff-sign-in',
    perIp: { max: 10, windowSeconds: 300 },
    perAccount: { max: 5, windowSeconds: 900, key: byEmail },
  },
  passwordReset: {
    name: 'password-reset',
    perIp: { max: 10, windowSeconds: 3600 },
    perAccount: { max: 3, windowSeconds: 3600, key: byEmail },
  },
} satisfies Record<string, RateLimitSpec>;

export type AccountRateLimits = Record<keyof typeof ACCOUNT_RATE_LIMITS, preHandlerAsyncHookHandler[]>;

export function accountRateLimits(): AccountRateLimits {
  return {
    register: [rateLimit(ACCOUNT_RATE_LIMITS.register)],
    login: [rateLimit(ACCOUNT_RATE_LIMITS.login)],
    staffLogin: [rateLimit(ACCOUNT_RATE_LIMITS.staffLogin)],
    passwordReset: [rateLimit(ACCOUNT_RATE_LIMITS.passwordReset)],
  };
}
