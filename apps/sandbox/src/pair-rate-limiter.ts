import { TrailingWindow } from './trailing-window';

/** Meta's pair rate limit (131056): too many messages from one business number to one recipient in a short time. */
export class PairRateLimiter {
  private readonly pairs = new Map<string, TrailingWindow>();
  private lastSweep = 0;

  /** True (and counted) when this send fits; false when it would exceed `maxMessages` within `windowMs`. */
  tryAcquire(phoneNumberId: string, to: string, now: number, rule: { maxMessages: number; windowMs: number }): boolean {
    this.sweep(now, rule.windowMs);
    const key = `${phoneNumberId}|${to}`;
    let window = this.pairs.get(key);
    if (!window) {
      window = new TrailingWindow(rule.windowMs);
      this.pairs.set(key, window);
    }
    if (window.count(now) >= rule.maxMessages) return false;
    window.add(now);
    return true;
  }

  reset(): void {
    this.pairs.clear();
  }

  /** Drops idle pairs now and then, so a million one-off recipients do not pile up. */
  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < Math.max(windowMs, 10_000)) return;
    this.lastSweep = now;
    for (const [key, window] of this.pairs) if (window.isEmpty(now)) this.pairs.delete(key);
  }
}
