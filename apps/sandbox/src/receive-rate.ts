/**
 * Sends received per whole second between `from` and `to` (epoch ms; by default the first and
 * last receive time), from the sandbox's receive times, leaving out the first and last second of
 * that span: the ramp-up and the tail. What a throughput test or bench measures as the rate a
 * sender actually got, on the receiving end's clock rather than the caller's.
 */
export function steadySeconds(acceptedAt: number[], from?: number, to?: number): number[] {
  const first = from ?? acceptedAt.reduce((a, b) => Math.min(a, b), Infinity);
  const last = to ?? acceptedAt.reduce((a, b) => Math.max(a, b), -Infinity);
  const start = first + 1_000;
  const seconds = Number.isFinite(start) ? Math.floor((last - 1_000 - start) / 1_000) : 0;
  const counts = new Array<number>(Math.max(0, seconds)).fill(0);
  for (const t of acceptedAt) {
    const k = Math.floor((t - start) / 1_000);
    if (k >= 0 && k < counts.length) counts[k]++;
  }
  return counts;
}

/** The mean of `perSecond` (0 when empty). */
export function meanRate(perSecond: number[]): number {
  return perSecond.length === 0 ? 0 : perSecond.reduce((a, b) => a + b, 0) / perSecond.length;
}
