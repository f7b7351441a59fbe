import { deliveryAttempts, retryDelayMs } from './retry-schedule';

describe('outbound webhook retry schedule', () => {
  const defaults = { baseMs: 10_000, maxDelayMs: 3_600_000, windowSeconds: 86_400 };

  it('doubles from the base and stops growing at the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, defaults))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(12, defaults)).toBe(3_600_000);
    expect(retryDelayMs(40, defaults)).toBe(3_600_000);
  });

  it('keeps retrying for at least the window (24 h by default), and not much longer', () => {
    const attempts = deliveryAttempts(defaults);
    let covered = 0;
    for (let n = 1; n < attempts; n++) covered += retryDelayMs(n, defaults);
    expect(covered).toBeGreaterThanOrEqual(86_400_000);
    expect(covered - retryDelayMs(attempts - 1, defaults)).toBeLessThan(86_400_000);
    expect(attempts).toBe(33);
  });
});
