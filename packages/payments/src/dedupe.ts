/**
 * Detects a valid webhook delivered again (providers retry, attackers replay within the
 * tolerance window). `seen` records the id and answers whether it was recorded before,
 * atomically: of two concurrent calls with one id, exactly one gets `false`.
 */
export interface WebhookDeduper {
  seen(eventId: string): Promise<boolean>;
}

/**
 * In-process deduper, for tests and a single process. Remembers the last `maxEntries` ids
 * (default 100 000), each for `ttlMs` (default 7 days, longer than Stripe's 3-day retries).
 */
export function createMemoryWebhookDeduper(
  options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {},
): WebhookDeduper {
  const maxEntries = options.maxEntries ?? 100_000;
  const ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  const seenAt = new Map<string, number>();
  return {
    async seen(eventId) {
      const time = now();
      const previous = seenAt.get(eventId);
      if (previous !== undefined && time - previous < ttlMs) return true;
      seenAt.delete(eventId);
      seenAt.set(eventId, time);
      while (seenAt.size > maxEntries) {
        const oldest = seenAt.keys().next().value;
        if (oldest === undefined) break;
        seenAt.delete(oldest);
      }
      return false;
    },
  };
}
