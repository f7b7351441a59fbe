/**
 * Timestamps (ms) of events in a trailing window of `windowMs`: an event at t counts while
 * now - t < windowMs. Events arrive in time order, so a queue with a moving head suffices.
 */
export class TrailingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  /** Events in (now - windowMs, now]. */
  count(now: number): number {
    this.prune(now);
    return this.times.length - this.head;
  }

  /** Records an event at `now` and returns the count in the window ending at it (itself included). */
  add(now: number): number {
    this.prune(now);
    this.times.push(now);
    return this.times.length - this.head;
  }

  isEmpty(now: number): boolean {
    return this.count(now) === 0;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
