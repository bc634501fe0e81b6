import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import { ipBucket } from '../../plugins/protection.ts';
import type { BackoffPolicy } from '../../plugins/rate-limit-store.ts';

export interface SignInThrottleSpec {
  /** Names the limit in store keys and metrics (e.g. `staff-sign-in`). */
  name: string;
  /**
   * Failures for one account from one address (IPv6: its /64): `free` of them, then each
   * further one waits `firstDelaySeconds`, twice that, … up to `maxDelaySeconds`. Forgotten
   * `forgetAfterSeconds` after the last failure, or at once when that address signs in.
   */
  perAccountAndAddress: {
    free: number;
    firstDelaySeconds: number;
    maxDelaySeconds: number;
    forgetAfterSeconds: number;
  };
  /** Failures from one address over every account (spraying one password across accounts). */
  perAddress: { max: number; windowSeconds: number };
}

export interface SignInThrottle {
  /**
   * Runs `signIn` unless this address has failed too often, for this account or overall (then
   * 429 `too_many_attempts` with `Retry-After`, and the password is not even checked). A
   * wrong email or password (`invalid_credentials`) counts as a failure; a sign-in clears the
   * address's failures for the account.
   */
  attempt<T>(
    request: FastifyRequest,
    reply: FastifyReply,
    email: string,
    signIn: () => Promise<T>,
  ): Promise<T>;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

const isCredentialFailure = (error: unknown) =>
  error instanceof AppError && error.code === 'invalid_credentials';

/**
 * Sign-in throttling that only failures feed: an attacker guessing from one address slows
 * down that address alone, so the owner still signs in from anywhere else, and a member who
 * signs in often is never counted. Counts live in the rate-limit store (Redis when set), and
 * every attempt is counted before its password is checked, so parallel guesses queue up
 * behind the same limits as sequential ones.
 */
export function signInThrottle(spec: SignInThrottleSpec): SignInThrottle {
  const pair = spec.perAccountAndAddress;
  const policy: BackoffPolicy = {
    free: pair.free,
    firstDelayMs: pair.firstDelaySeconds * 1000,
    maxDelayMs: pair.maxDelaySeconds * 1000,
    forgetMs: pair.forgetAfterSeconds * 1000,
  };
  const windowMs = spec.perAddress.windowSeconds * 1000;

  return {
    async attempt(request, reply, email, signIn) {
      const limiter = request.server.rateLimiter;
      if (!limiter) throw new Error('signInThrottle needs registerProtection on the app');
      const { store } = limiter;
      const address = ipBucket(request.ip);
      const addressKey = `${spec.name}:ip-failures:${address}`;
      const pairKey = `${spec.name}:account-ip:${digest(`${email.trim().toLowerCase()}\n${address}`)}`;

      const refuse = (scope: 'ip' | 'account', retryMs: number) => {
        const retryAfter = Math.max(1, Math.ceil(retryMs / 1000));
        limiter.limited.inc({ limit: spec.name, scope });
        reply.header('retry-after', String(retryAfter));
        return new AppError(
          429,
          'too_many_attempts',
          `Too many failed sign-ins from this address. Try again in ${retryAfter} seconds.`,
          undefined,
          { retryAfter },
        );
      };

      // Taken back below unless the attempt turns out to be a failure.
      const overall = await store.hit(addressKey, windowMs);
      if (overall.fallback) limiter.reportFallback(request, overall.fallback);
      if (overall.count > spec.perAddress.max) throw refuse('ip', overall.resetMs);
      const turn = await store.attempt(pairKey, policy);
      if (turn.fallback) limiter.reportFallback(request, turn.fallback);
      if (!turn.allowed) {
        await store.unhit(addressKey);
        throw refuse('account', turn.retryMs);
      }

      const result = await signIn().catch(async (error: unknown) => {
        // Anything but a wrong email or password (a deactivated account, an outage) is no
        // guess; the pair's count stays, it only ever delays a further attempt.
        if (!isCredentialFailure(error)) await store.unhit(addressKey);
        throw error;
      });
      await Promise.all([store.forget(pairKey), store.unhit(addressKey)]);
      return result;
    },
  };
}
