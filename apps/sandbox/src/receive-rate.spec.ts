import { meanRate, steadySeconds } from './receive-rate';

describe('steadySeconds', () => {
  it('counts whole seconds between the first and last receive time, without the first and last second', () => {
    // 10 per second for 6.5 s from t = 1,000: steady seconds start at 2,000 and end before 6,500.
    const times = Array.from({ length: 65 }, (_, i) => 1_000 + i * 100);
    expect(steadySeconds(times)).toEqual([10, 10, 10, 10]);
  });

  it('shows a slow second in the middle, and leaves a slow start and tail out', () => {
    const times = [0, 900, ...Array.from({ length: 30 }, (_, i) => 1_000 + i * 100), 4_500, 4_600, 5_000, 6_000];
    // span 0 … 6,000: seconds [1,000, 2,000), [2,000, 3,000), [3,000, 4,000), [4,000, 5,000).
    expect(steadySeconds(times)).toEqual([10, 10, 10, 2]);
  });

  it('measures only the given span', () => {
    const times = Array.from({ length: 100 }, (_, i) => i * 100);
    expect(steadySeconds(times, 2_000, 7_000)).toEqual([10, 10, 10]);
  });

  it('has no steady second when the sends took under two seconds', () => {
    expect(steadySeconds([0, 500, 1_900])).toEqual([]);
    expect(steadySeconds([])).toEqual([]);
    expect(meanRate([])).toBe(0);
    expect(meanRate([9, 10, 11])).toBe(10);
  });
});
