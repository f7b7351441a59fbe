/** The custom bull backoff of deliveries (queue settings `backoffStrategies`). */
export const WEBHOOK_BACKOFF = 'webhook';

export interface RetrySettings {
  baseMs: number;
  maxDelayMs: number;
  windowSeconds: number;
}

/** Delay before retry `n` (1 = the first retry): doubling from the base, capped. */
export function retryDelayMs(n: number, s: RetrySettings): number {
  return Math.min(s.baseMs * 2 ** Math.max(0, n - 1), s.maxDelayMs);
}

/**
 * Attempts (the first included) whose retry delays add up to at least the window: with the
 * defaults (10 s doubling to 1 h, 24 h) that is 33 attempts spread over about 25 hours.
 */
export function deliveryAttempts(s: RetrySettings): number {
  const windowMs = s.windowSeconds * 1000;
  let total = 0;
  let retries = 0;
  while (total < windowMs) total += retryDelayMs(++retries, s);
  return retries + 1;
}
