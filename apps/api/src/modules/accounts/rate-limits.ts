import type { preHandlerAsyncHookHandler } from 'fastify';
import { type RateLimitRequest, type RateLimitSpec, rateLimit } from '../../plugins/protection.ts';
import { type SignInThrottle, type SignInThrottleSpec, signInThrottle } from './sign-in-throttle.ts';

/** The email a request is about: the per-account key of every limit here. */
const byEmail = (request: RateLimitRequest) => request.body?.email;

/**
 * Limits on the routes that probe for accounts or send email: per client address, and per
 * email whatever address the calls come from. Every call counts.
 */
export const ACCOUNT_RATE_LIMITS = {
  register: {
    name: 'sign-up',
    perIp: { max: 20, windowSeconds: 3600 },
    perAccount: { max: 5, windowSeconds: 3600, key: byEmail },
  },
  passwordReset: {
    name: 'password-reset',
    perIp: { max: 10, windowSeconds: 3600 },
    perAccount: { max: 3, windowSeconds: 3600, key: byEmail },
  },
} satisfies Record<string, RateLimitSpec>;

/**
 * Sign-in counts failures only, per account and address: a guesser slows down their own
 * address and no one else's, so no one can lock the owner out by failing on purpose.
 * Staff accounts open the whole shop, so they get fewer tries.
 */
export const SIGN_IN_THROTTLES = {
  login: {
    name: 'sign-in',
    perAccountAndAddress: {
      free: 10,
      firstDelaySeconds: 1,
      maxDelaySeconds: 900,
      forgetAfterSeconds: 86_400,
    },
    perAddress: { max: 100, windowSeconds: 900 },
  },
  staffLogin: {
    name: 'staff-sign-in',
    perAccountAndAddress: { free: 5, firstDelaySeconds: 1, maxDelaySeconds: 900, forgetAfterSeconds: 86_400 },
    perAddress: { max: 50, windowSeconds: 900 },
  },
} satisfies Record<string, SignInThrottleSpec>;

export type AccountRateLimits = Record<keyof typeof ACCOUNT_RATE_LIMITS, preHandlerAsyncHookHandler[]> &
  Record<keyof typeof SIGN_IN_THROTTLES, SignInThrottle>;

export function accountRateLimits(): AccountRateLimits {
  return {
    register: [rateLimit(ACCOUNT_RATE_LIMITS.register)],
    passwordReset: [rateLimit(ACCOUNT_RATE_LIMITS.passwordReset)],
    login: signInThrottle(SIGN_IN_THROTTLES.login),
    staffLogin: signInThrottle(SIGN_IN_THROTTLES.staffLogin),
  };
}
